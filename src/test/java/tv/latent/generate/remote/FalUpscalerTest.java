package tv.latent.generate.remote;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.Upscaler;
import tv.latent.generate.UpscalerContract;

/** The upscaler contract against a fake fal video upscaler (2×), its video sent inline. */
class FalUpscalerTest extends UpscalerContract {
    FakeFalServer fal;

    @Override
    protected Upscaler newUpscaler() {
        fal = HostedFixtures.fal("k").start();
        return RemoteStages.falUpscaler(
                HostedFixtures.falAt(fal, "k"),
                new HostedSettings(
                        HostedFixtures.UPSCALE_APP,
                        null,
                        Map.of(),
                        null,
                        Map.of("scale", 2),
                        "",
                        Duration.ofSeconds(20),
                        16 << 20),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fal.close();
    }
}
