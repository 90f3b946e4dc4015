package tv.latent.generate.remote;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.RendererContract;

/** The renderer contract against a fake Zeroscope Space (Gradio 5). */
class GradioZeroscopeRendererTest extends RendererContract {
    FakeGradioServer fake;

    @Override
    protected Renderer newRenderer() {
        fake = RemoteFixtures.zeroscope();
        return RemoteStages.zeroscope(
                RemoteFixtures.gradio(List.of(fake.root().toString()), Duration.ofSeconds(20)), 25);
    }

    @Override
    protected RenderRequest request(String prompt, long seed) {
        return new RenderRequest(prompt, "watermark, text", seed, 256, 144, 24, 8);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }
}
