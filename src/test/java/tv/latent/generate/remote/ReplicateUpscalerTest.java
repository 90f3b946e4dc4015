package tv.latent.generate.remote;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.Upscaler;
import tv.latent.generate.UpscalerContract;

/** The upscaler contract against a fake Replicate video upscaler (2×). */
class ReplicateUpscalerTest extends UpscalerContract {
    FakeReplicateServer replicate;

    @Override
    protected Upscaler newUpscaler() {
        replicate = HostedFixtures.replicate("t").start();
        return RemoteStages.replicateUpscaler(
                HostedFixtures.replicateAt(replicate, "t"),
                HostedSettings.of(HostedFixtures.UPSCALE_MODEL, Duration.ofSeconds(20)),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        replicate.close();
    }
}
