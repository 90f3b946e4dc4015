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
import tv.latent.backend.a1111.FakeA1111Server;
import tv.latent.backend.a1111.FakeA1111Server.Misbehaviour;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.Upscaler;
import tv.latent.generate.Upscaler.UpscaleRequest;
import tv.latent.generate.UpscalerContract;

/** The upscaler contract and failure modes of sd-webui-text2video's vid2vid against a fake A1111. */
class A1111UpscalerTest extends UpscalerContract {
    @TempDir
    Path scratch;

    FakeA1111Server fake;

    @Override
    protected Upscaler newUpscaler() {
        fake = FakeA1111Server.builder().delay(Duration.ofSeconds(5)).start();
        return upscaler(Duration.ofSeconds(10));
    }

    Upscaler upscaler(Duration timeout) {
        return RemoteStages.a1111Upscaler(
                new RemoteStages.A1111(
                        "gpu", List.of(fake.baseUri().toString()), null, null, 16L << 20, RemoteFixtures.FAST),
                A1111RendererTest.settings(timeout),
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
                new UpscaleRequest(input, "a heron in the reeds", "", 9, 1024, 576),
                new StageContext(Files.createDirectories(scratch.resolve("work")), StageContext.ProgressSink.NONE));
    }

    @Test
    void sendsTheClipAsVid2VidInputWithTheSamePromptAtTheChannelSize() throws Exception {
        Path input = input();
        try (Upscaler upscaler = upscaler(Duration.ofSeconds(10))) {
            upscale(upscaler, input);
        }
        var run = fake.lastRun();
        assertThat(run.parts()).containsKey("vid2vid_input");
        assertThat(run.parts().get("vid2vid_input").content()).isEqualTo(Files.readAllBytes(input));
        assertThat(run.param("prompt")).isEqualTo("a heron in the reeds");
        assertThat(run.param("width")).isEqualTo("1024");
        assertThat(run.param("height")).isEqualTo("576");
        assertThat(run.param("frames")).isEqualTo("12");
        assertThat(run.param("strength")).isEqualTo("0.7");
    }

    void assertRefused(Misbehaviour m, String reason, boolean retryable) throws Exception {
        fake.misbehave(m);
        Path input = input();
        try (Upscaler upscaler = upscaler(Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> upscale(upscaler, input))
                    .as(m.name())
                    .isInstanceOfSatisfying(
                            StageException.class,
                            e -> assertThat(e.retryable()).as(m.name()).isEqualTo(retryable))
                    .hasMessageContaining("gpu")
                    .hasMessageContaining(reason);
        }
        assertThat(RemoteFixtures.files(scratch.resolve("work"))).as(m.name()).isEmpty();
    }

    @Test
    void thePlaceholderErrorVideoIsRefusedWithTheAskedAndSentSize() throws Exception {
        assertRefused(Misbehaviour.PLACEHOLDER_VIDEO, "asked 1024x576, got 64x64", true);
    }

    @Test
    void aServerErrorAndADroppedConnectionAreRetryable() throws Exception {
        assertRefused(Misbehaviour.SERVER_ERROR, "gpu", true);
        assertRefused(Misbehaviour.DISCONNECT_MID_BODY, "gpu", true);
    }
}
