package tv.latent.generate.remote;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.generate.Scorer;
import tv.latent.generate.ScorerContract;
import tv.latent.generate.StageFixtures;

/** The scorer contract against a fake Replicate music model. */
class ReplicateScorerTest extends ScorerContract {
    FakeReplicateServer replicate;

    @Override
    protected Scorer newScorer() {
        replicate = HostedFixtures.replicate("t").start();
        return RemoteStages.replicateScorer(
                HostedFixtures.replicateAt(replicate, "t"),
                HostedSettings.of(HostedFixtures.MUSIC_MODEL, Duration.ofSeconds(20)),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        replicate.close();
    }
}
