package tv.latent.generate.remote;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.generate.Scorer;
import tv.latent.generate.ScorerContract;
import tv.latent.generate.StageFixtures;

/** The scorer contract against a fake fal music app. */
class FalScorerTest extends ScorerContract {
    FakeFalServer fal;

    @Override
    protected Scorer newScorer() {
        fal = HostedFixtures.fal("k").start();
        return RemoteStages.falScorer(
                HostedFixtures.falAt(fal, "k"),
                HostedSettings.of(HostedFixtures.MUSIC_APP, Duration.ofSeconds(20)),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fal.close();
    }
}
