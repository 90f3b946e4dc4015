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
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.gradio.FakeGradioServer.Fault;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.Upscaler.UpscaleRequest;
import tv.latent.generate.UpscalerContract;
import tv.latent.media.MediaInfo;
import tv.latent.testing.TestMedia;

/** The upscaler contract and failure modes against a fake Zeroscope XL vid2vid Space (Gradio 5). */
class GradioXlUpscalerTest extends UpscalerContract {
    @TempDir
    Path scratch;

    FakeGradioServer fake;
    final RemoteFixtures.Spy spy = new RemoteFixtures.Spy();

    @Override
    protected Upscaler newUpscaler() {
        fake = FakeGradioServer.builder()
                .endpoint(RemoteFixtures.zeroscopeXlRun(spy))
                .start();
        return upscaler();
    }

    Upscaler upscaler() {
        return RemoteStages.zeroscopeXl(
                RemoteFixtures.gradio("zeroscope-xl", fake, Duration.ofSeconds(10)), RemoteFixtures.FFMPEG);
    }

    /** Zeroscope XL makes 1024×576, the channel size this test asks for. */
    @Override
    protected int targetWidth() {
        return 1024;
    }

    @Override
    protected int targetHeight() {
        return 576;
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    StageOutput upscale(Upscaler upscaler, int width, int height) throws Exception {
        Path input = source(Files.createDirectories(scratch.resolve("in")));
        return upscaler.upscale(
                new UpscaleRequest(input, "a fox in the snow, cinematic", "", 1, width, height),
                new StageContext(Files.createDirectories(scratch.resolve("work")), StageContext.ProgressSink.NONE));
    }

    @Test
    void sendsTheVideoTheSamePromptAndTheSpaceDefaultsReadFromInfo() throws Exception {
        try (Upscaler upscaler = upscaler()) {
            upscale(upscaler, 1024, 576);
        }
        var inputs = spy.last();
        assertThat(inputs).hasSize(4);
        assertThat(inputs.get(0).has("video")).as("a Video input is wrapped").isTrue();
        assertThat(inputs.get(1).asText()).isEqualTo("a fox in the snow, cinematic");
        assertThat(inputs.get(2).asInt()).as("steps default from /info").isEqualTo(30);
        assertThat(inputs.get(3).asDouble()).as("strength default from /info").isEqualTo(0.75);
    }

    @Test
    void aResultOfTheSameShapeIsScaledToAnotherChannelSize() throws Exception {
        StageOutput out;
        try (Upscaler upscaler = upscaler()) {
            out = upscale(upscaler, 640, 360);
        }
        MediaInfo.Video v = RemoteFixtures.FFMPEG.probe(out.file()).video().orElseThrow();
        assertThat(v.width()).isEqualTo(640);
        assertThat(v.height()).isEqualTo(360);
        assertThat(v.frames()).isEqualTo(12);
    }

    void assertRefused(String reason, boolean retryable) throws Exception {
        try (Upscaler upscaler = upscaler()) {
            assertThatThrownBy(() -> upscale(upscaler, 1024, 576))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isEqualTo(retryable))
                    .hasMessageContaining("zeroscope-xl")
                    .hasMessageContaining(reason);
        }
        assertThat(RemoteFixtures.files(scratch.resolve("work")))
                .as("nothing left behind")
                .isEmpty();
    }

    @Test
    void aServerErrorIsARetryableFailure() throws Exception {
        fake.fault(Fault.SERVER_ERROR);
        assertRefused("500", true);
    }

    @Test
    void aStreamThatBreaksOffIsARetryableFailure() throws Exception {
        fake.fault(Fault.DISCONNECT_MID_STREAM);
        assertRefused("zeroscope-xl", true);
    }

    @Test
    void aPlaceholderVideoIsRefusedWithBothShapes() throws Exception {
        fake.close();
        fake = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("video", "filepath", "Video")
                        .parameter("prompt", "str", "Textbox")
                        .returns("Upscaled", "Video")
                        .handler(call -> List.of(call.video("error.mp4", TestMedia.mp4(64, 64, 8, 8)))))
                .start();
        assertRefused("sent 64x64 with 8 frames, asked 1024x576 with 12 frames", true);
    }

    @Test
    void aSpaceThatNoLongerTakesAVideoFailsWithBothParameterLists() throws Exception {
        fake.close();
        fake = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("image", "filepath", "Image")
                        .parameter("prompt", "str", "Textbox")
                        .returns("Upscaled", "Video")
                        .handler(call -> List.of()))
                .start();
        assertRefused("the app takes", false);
    }
}
