package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.backend.replicate.FakeReplicateServer.Misbehaviour;
import tv.latent.generate.ContentRefusedException;
import tv.latent.generate.LastFrame;
import tv.latent.generate.Renderer;
import tv.latent.generate.RendererContract;
import tv.latent.generate.StageException;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;

/** The renderer contract, and each documented failure, against a fake Replicate. */
class ReplicateRendererTest extends RendererContract {
    static final String TOKEN = "r8_CONTRACTtoken";
    FakeReplicateServer replicate;

    @Override
    protected Renderer newRenderer() {
        replicate = HostedFixtures.replicate(TOKEN).start();
        return RemoteStages.replicateRenderer(
                HostedFixtures.replicateAt(replicate, TOKEN),
                HostedFixtures.render(HostedFixtures.VIDEO_MODEL, HostedFixtures.IMAGE_MODEL, Duration.ofSeconds(20)),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        replicate.close();
    }

    @Test
    void recordsThePredictionAndItsBilledTime() throws Exception {
        StageOutput out = render(request("a heron", 3));
        assertThat(out.params()).containsEntry("gpu.seconds", "2.250").containsKey("request");
        assertThat(replicate.cdn().fetches())
                .allSatisfy(f -> assertThat(f.authorization()).isEmpty());
    }

    @Test
    void aThrottledCreateIsTriedAgainAfterRetryAfter() throws Exception {
        replicate.misbehave(Misbehaviour.THROTTLE, 1);
        assertThat(render(request("a heron", 3)).file()).exists();
        assertThat(replicate.creates()).isEqualTo(2);
    }

    @Test
    void aFailedPredictionFailsThisBackendWithItsTrimmedErrorAndNoToken() {
        replicate.misbehave(Misbehaviour.FAIL);
        assertThatThrownBy(() -> render(request("a heron", 3))).isInstanceOfSatisfying(StageException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage())
                    .contains("RuntimeError")
                    .doesNotContain(TOKEN)
                    .doesNotContain("\n");
        });
    }

    @Test
    void aFlaggedInputIsARefusal() {
        replicate.misbehave(Misbehaviour.FLAG);
        assertThatThrownBy(() -> render(request("a heron", 3))).isInstanceOf(ContentRefusedException.class);
    }

    @Test
    void aCanceledPredictionOrOneWithoutOutputFailsThisBackend() {
        for (Misbehaviour m : new Misbehaviour[] {Misbehaviour.CANCEL, Misbehaviour.NO_OUTPUT, Misbehaviour.GONE_URL}) {
            replicate.misbehave(m);
            assertThatThrownBy(() -> render(request("a heron", 3)))
                    .as(m.name())
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isFalse());
        }
    }

    @Test
    void aShotThatContinuesSendsThePreviousLastFrameToTheImageModelAsADataUri() throws Exception {
        StageOutput first = render(request("a heron in the reeds", 1));
        Path frame = LastFrame.extract(StageFixtures.FFMPEG, first.file(), scratch.resolve("last.png"));
        StageOutput second = render(HostedFixtures.continuing(first, frame, "replicate"));

        assertThat(replicate.requests().stream()
                        .filter(r -> r.path().endsWith("/predictions"))
                        .toList()
                        .getLast())
                .satisfies(r -> {
                    assertThat(r.path()).isEqualTo("/v1/models/" + HostedFixtures.IMAGE_MODEL + "/predictions");
                    assertThat(r.body().path("input").path("image").asText()).startsWith("data:image/png;base64,");
                });
        assertThat(second.params()).containsEntry("model", HostedFixtures.IMAGE_MODEL);
        HostedFixtures.assertContinues(first, second, scratch);
    }
}
