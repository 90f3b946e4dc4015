package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.backend.comfyui.FakeComfyUiServer;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.RendererContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.testing.TestMedia;

/** The renderer contract with the example workflow against a fake ComfyUI. */
class ComfyUiRendererTest extends RendererContract {
    FakeComfyUiServer fake;

    @Override
    protected Renderer newRenderer() throws Exception {
        fake = FakeComfyUiServer.builder()
                .steps(3)
                .video(TestMedia.mp4(256, 144, 16, 8))
                .start();
        return renderer(Duration.ofSeconds(20));
    }

    Renderer renderer(Duration timeout) throws Exception {
        return RemoteStages.comfyUiRenderer(
                new RemoteStages.ComfyUi("comfy", List.of(fake.baseUri().toString()), 4L << 20, RemoteFixtures.FAST),
                new ComfyUiSettings(Path.of("examples/workflows/zeroscope-576w.json"), 20, 9, 0.7, timeout));
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void fillsThePlaceholders() throws Exception {
        render(new RenderRequest("a panda sailing", "", 42, 256, 144, 16, 8));
        assertThat(fake.lastPrompt().toString()).contains("a panda sailing").doesNotContain("{{");
    }

    @Test
    void anExecutionErrorAnEscapingNameAndAnEndlessDownloadFailCleanly() throws Exception {
        for (var m : List.of(
                FakeComfyUiServer.Misbehaviour.EXECUTION_ERROR,
                FakeComfyUiServer.Misbehaviour.UNSAFE_FILENAME,
                FakeComfyUiServer.Misbehaviour.ENDLESS_VIEW,
                FakeComfyUiServer.Misbehaviour.REJECT_WORKFLOW)) {
            fake.misbehave(m);
            try (Renderer r = renderer(Duration.ofSeconds(5))) {
                assertThatThrownBy(() ->
                                r.render(request("a fox", 1), new StageContext(work, StageContext.ProgressSink.NONE)))
                        .as(m.name())
                        .isInstanceOf(StageException.class)
                        .hasMessageContaining("comfy");
            }
            assertThat(RemoteFixtures.files(root)).as(m.name()).isEmpty();
        }
    }
}
