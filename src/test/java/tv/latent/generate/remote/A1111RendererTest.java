package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.backend.a1111.FakeA1111Server;
import tv.latent.generate.Renderer;
import tv.latent.generate.RendererContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;

/** The renderer contract and the extension's failure modes against a fake A1111. */
class A1111RendererTest extends RendererContract {
    FakeA1111Server fake;

    static A1111Settings settings(Duration timeout) {
        return new A1111Settings("zeroscope_v2_576w", "DDIM", 20, 17, 0, "text, watermark", 0.7, timeout);
    }

    @Override
    protected Renderer newRenderer() {
        fake = FakeA1111Server.builder().delay(Duration.ofSeconds(5)).start();
        return renderer(Duration.ofSeconds(20), 64L << 20);
    }

    Renderer renderer(Duration timeout, long maxBytes) {
        return RemoteStages.a1111Renderer(
                new RemoteStages.A1111(
                        "gpu", List.of(fake.baseUri().toString()), null, null, maxBytes, RemoteFixtures.FAST),
                settings(timeout),
                RemoteFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    void assertFails(FakeA1111Server.Misbehaviour m, boolean retryable, Duration timeout) throws Exception {
        fake.misbehave(m);
        try (Renderer r = renderer(timeout, 4L << 20)) {
            assertThatThrownBy(
                            () -> r.render(request("a fox", 1), new StageContext(work, StageContext.ProgressSink.NONE)))
                    .isInstanceOfSatisfying(
                            StageException.class,
                            e -> assertThat(e.retryable()).as(m.name()).isEqualTo(retryable))
                    .hasMessageContaining("gpu");
        }
        try (var files = Files.list(work)) {
            assertThat(files).as("nothing left in the work dir after " + m).isEmpty();
        }
    }

    @Test
    void thePlaceholderErrorVideoIsRejectedAndRetryable() throws Exception {
        assertFails(FakeA1111Server.Misbehaviour.PLACEHOLDER_VIDEO, true, Duration.ofSeconds(10));
        assertThat(fake.runs()).hasSize(2);
    }

    @Test
    void serverErrorsDropsAndGarbageAreRetryable() throws Exception {
        assertFails(FakeA1111Server.Misbehaviour.SERVER_ERROR, true, Duration.ofSeconds(10));
        assertFails(FakeA1111Server.Misbehaviour.DISCONNECT_MID_BODY, true, Duration.ofSeconds(10));
        assertFails(FakeA1111Server.Misbehaviour.MALFORMED_JSON, true, Duration.ofSeconds(10));
        assertFails(FakeA1111Server.Misbehaviour.WRONG_CONTENT_TYPE, true, Duration.ofSeconds(10));
        assertFails(FakeA1111Server.Misbehaviour.SLOW, true, Duration.ofSeconds(1));
    }

    @Test
    void aRejectedRequestAndAnEndlessBodyAreNotRetried() throws Exception {
        assertFails(FakeA1111Server.Misbehaviour.VALIDATION_ERROR, false, Duration.ofSeconds(10));
        assertFails(FakeA1111Server.Misbehaviour.ENDLESS_BODY, false, Duration.ofSeconds(10));
    }

    @Test
    void sendsTheConfiguredModelSamplerAndSteps() throws Exception {
        render(request("a heron", 3));
        assertThat(fake.lastRun().param("model")).isEqualTo("zeroscope_v2_576w");
        assertThat(fake.lastRun().param("sampler")).isEqualTo("DDIM");
        assertThat(fake.lastRun().param("steps")).isEqualTo("20");
    }
}
