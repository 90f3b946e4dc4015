package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.comfyui.FakeComfyUiServer;
import tv.latent.backend.comfyui.Placeholder;
import tv.latent.backend.comfyui.Workflow;
import tv.latent.generate.Continuation;
import tv.latent.generate.LastFrame;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;
import tv.latent.testing.TestMedia;

/**
 * The example Wan 2.2 (TI2V 5B) workflows in {@code examples/workflows}: text to video, and image
 * to video from the previous shot's last frame, run against a fake ComfyUI.
 */
class ComfyUiWanWorkflowsTest {
    static final Path T2V = Path.of("examples/workflows/wan2.2-ti2v-5b-t2v.json");
    static final Path I2V = Path.of("examples/workflows/wan2.2-ti2v-5b-i2v.json");

    @TempDir
    Path dir;

    FakeComfyUiServer fake;
    Renderer renderer;
    Path work;

    @BeforeEach
    void start() throws Exception {
        fake = FakeComfyUiServer.builder()
                .steps(2)
                .video(TestMedia.mp4(128, 72, 16, 8))
                .start();
        renderer = RemoteStages.comfyUiRenderer(
                new RemoteStages.ComfyUi("wan", List.of(fake.baseUri().toString()), 16L << 20, RemoteFixtures.FAST),
                new ComfyUiSettings(T2V, 30, 5, 1, Duration.ofSeconds(20), I2V));
        work = Files.createDirectory(dir.resolve("work"));
    }

    @AfterEach
    void stop() {
        renderer.close();
        fake.close();
    }

    @Test
    void bothWorkflowsParseAndUseTheShotsPlaceholders() throws Exception {
        for (Path file : List.of(T2V, I2V)) {
            assertThat(Workflow.load(file).placeholders())
                    .as(file.toString())
                    .contains(
                            Placeholder.PROMPT,
                            Placeholder.NEGATIVE_PROMPT,
                            Placeholder.SEED,
                            Placeholder.WIDTH,
                            Placeholder.HEIGHT,
                            Placeholder.FRAMES,
                            Placeholder.FPS);
        }
        assertThat(Workflow.load(I2V).placeholders()).contains(Placeholder.INPUT_IMAGE);
        assertThat(Workflow.load(T2V).placeholders()).doesNotContain(Placeholder.INPUT_IMAGE);
    }

    @Test
    void aShotRendersThroughTheTextToVideoWorkflow() throws Exception {
        StageOutput out = renderer.render(
                new RenderRequest("a lighthouse at dusk", "blurry", 7, 1280, 704, 121, 24),
                new StageContext(work, StageContext.ProgressSink.NONE));

        assertThat(out.params()).containsEntry("workflow", "wan2.2-ti2v-5b-t2v.json");
        var sent = fake.lastPrompt().path("prompt");
        assertThat(sent.at("/5/inputs/text").asText()).isEqualTo("a lighthouse at dusk");
        assertThat(sent.at("/7/inputs/length").asInt()).isEqualTo(121);
        assertThat(sent.at("/7/inputs/width").asInt()).isEqualTo(1280);
        assertThat(sent.at("/10/inputs/fps").asInt()).isEqualTo(24);
        assertThat(sent.at("/8/inputs/seed").asLong()).isEqualTo(7);
    }

    @Test
    void aContinuingShotUploadsTheLastFrameIntoTheImageToVideoWorkflow() throws Exception {
        StageOutput first = renderer.render(
                new RenderRequest("a lighthouse at dusk", "", 7, 128, 72, 16, 8),
                new StageContext(work, StageContext.ProgressSink.NONE));
        Path frame = LastFrame.extract(StageFixtures.FFMPEG, first.file(), dir.resolve("last.png"));
        StageOutput next = renderer.render(
                new RenderRequest(
                        "the beam sweeps over the waves",
                        "",
                        8,
                        128,
                        72,
                        16,
                        8,
                        new Continuation("shot-1", frame, "a lighthouse at dusk", "", "wan", first.params())),
                new StageContext(work, StageContext.ProgressSink.NONE));

        assertThat(fake.uploads()).singleElement().satisfies(u -> {
            assertThat(u.content()).isEqualTo(Files.readAllBytes(frame));
            assertThat(u.subfolder()).isEqualTo("latenttv");
        });
        var sent = fake.lastPrompt().path("prompt");
        assertThat(sent.at("/12/inputs/image").asText())
                .isEqualTo("latenttv/" + fake.uploads().getFirst().name());
        assertThat(next.params())
                .containsEntry("workflow", "wan2.2-ti2v-5b-i2v.json")
                .containsEntry(Continuation.CONTINUES, "shot-1");
    }
}
