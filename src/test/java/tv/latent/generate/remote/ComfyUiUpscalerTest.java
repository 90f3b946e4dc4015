package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.comfyui.FakeComfyUiServer;
import tv.latent.backend.comfyui.FakeComfyUiServer.Misbehaviour;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.Upscaler;
import tv.latent.generate.Upscaler.UpscaleRequest;
import tv.latent.generate.UpscalerContract;
import tv.latent.testing.TestMedia;

/** The upscaler contract with the example Zeroscope XL workflow against a fake ComfyUI. */
class ComfyUiUpscalerTest extends UpscalerContract {
    static final Path WORKFLOW = Path.of("examples/workflows/zeroscope-xl-upscale.json");

    @TempDir
    Path scratch;

    FakeComfyUiServer fake;

    @Override
    protected Upscaler newUpscaler() throws Exception {
        // the contract's clip is 12 frames at 8 fps, asked at 384×216: what the workflow would make
        fake = FakeComfyUiServer.builder()
                .steps(2)
                .video(TestMedia.mp4(384, 216, 12, 8))
                .start();
        return upscaler();
    }

    Upscaler upscaler() throws Exception {
        return RemoteStages.comfyUiUpscaler(
                new RemoteStages.ComfyUi("comfy", List.of(fake.baseUri().toString()), 16L << 20, RemoteFixtures.FAST),
                new ComfyUiSettings(WORKFLOW, 20, 9, 0.6, Duration.ofSeconds(10)),
                RemoteFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    Path input() throws Exception {
        return source(Files.createDirectories(scratch.resolve("in")));
    }

    void upscale(Upscaler upscaler, Path input) throws Exception {
        upscaler.upscale(
                new UpscaleRequest(input, "a heron in the reeds", "", 9, 384, 216),
                new StageContext(Files.createDirectories(scratch.resolve("work")), StageContext.ProgressSink.NONE));
    }

    @Test
    void uploadsTheClipAndFillsTheInputVideoPlaceholder() throws Exception {
        Path input = input();
        try (Upscaler upscaler = upscaler()) {
            upscale(upscaler, input);
        }
        assertThat(fake.uploads()).hasSize(1);
        var upload = fake.uploads().getFirst();
        assertThat(upload.content()).isEqualTo(Files.readAllBytes(input));
        var graph = fake.lastPrompt().path("prompt");
        assertThat(graph.path("1").path("inputs").path("video").asText()).contains(upload.name());
        assertThat(graph.path("4").path("inputs").path("text").asText()).isEqualTo("a heron in the reeds");
        assertThat(graph.toString()).doesNotContain("{{");
    }

    void assertRefused(FakeComfyUiServer server, String reason) throws Exception {
        Path input = input();
        try (Upscaler upscaler = upscaler()) {
            assertThatThrownBy(() -> upscale(upscaler, input))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("comfy")
                    .hasMessageContaining(reason);
        }
        assertThat(RemoteFixtures.files(scratch.resolve("work"))).isEmpty();
    }

    @Test
    void aPlaceholderVideoIsRefusedWithBothShapes() throws Exception {
        fake.close();
        fake = FakeComfyUiServer.builder()
                .steps(1)
                .video(TestMedia.mp4(64, 64, 8, 8))
                .start();
        assertRefused(fake, "sent 64x64 with 8 frames, asked 384x216 with 12 frames");
    }

    @Test
    void aServerErrorAnExecutionErrorAndADroppedDownloadFailCleanly() throws Exception {
        for (Misbehaviour m :
                List.of(Misbehaviour.SERVER_ERROR, Misbehaviour.EXECUTION_ERROR, Misbehaviour.DISCONNECT_VIEW)) {
            fake.misbehave(m);
            assertRefused(fake, "comfy");
        }
    }
}
