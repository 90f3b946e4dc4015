package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.backend.fal.FakeFalServer.Misbehaviour;
import tv.latent.generate.ContentRefusedException;
import tv.latent.generate.LastFrame;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.RendererContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;

/** The renderer contract, and each documented failure, against a fake fal queue. */
class FalRendererTest extends RendererContract {
    static final String KEY = "fal-key-CONTRACT-42";
    FakeFalServer fal;

    @Override
    protected Renderer newRenderer() {
        fal = HostedFixtures.fal(KEY).start();
        renderer = renderer(Duration.ofSeconds(20));
        return renderer;
    }

    Renderer renderer(Duration timeout) {
        return RemoteStages.falRenderer(
                HostedFixtures.falAt(fal, KEY),
                HostedFixtures.render(HostedFixtures.VIDEO_APP, HostedFixtures.IMAGE_APP, timeout),
                StageFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fal.close();
    }

    Renderer renderer;

    StageContext context() {
        return new StageContext(work, StageContext.ProgressSink.NONE);
    }

    @Test
    void sendsTheShotAsTheAppsInputAndRecordsTheRequestAndGpuTime() throws Exception {
        StageOutput out = render(new RenderRequest("a panda sailing", "blurry", 42, 128, 72, 16, 8));

        assertThat(fal.inputs()).singleElement().satisfies(input -> {
            assertThat(input.path("prompt").asText()).isEqualTo("a panda sailing");
            assertThat(input.path("negative_prompt").asText()).isEqualTo("blurry");
            assertThat(input.path("seed").asLong()).isEqualTo(42);
            assertThat(input.path("num_frames").asInt()).isEqualTo(16);
        });
        assertThat(out.backend()).isEqualTo("fal");
        assertThat(out.params())
                .containsEntry("model", HostedFixtures.VIDEO_APP)
                .containsEntry("gpu.seconds", "1.500")
                .containsKey("request");
    }

    @Test
    void theQueuePositionAndTheAppsLogReachTheProgress() throws Exception {
        java.util.List<String> details = new java.util.concurrent.CopyOnWriteArrayList<>();
        renderer.render(request("a heron", 1), new StageContext(work, (fraction, detail) -> details.add(detail)));

        assertThat(details).contains("queue position 2", "queue position 1", "running: step 3", "done");
    }

    @Test
    void aShotThatContinuesStartsFromThePreviousLastFrameThroughTheImageApp() throws Exception {
        StageOutput first = render(request("a heron in the reeds", 1));
        Path frame = LastFrame.extract(StageFixtures.FFMPEG, first.file(), scratch.resolve("last.png"));
        StageOutput second = render(HostedFixtures.continuing(first, frame, "fal"));

        assertThat(fal.inputs().getLast().path("image_url").asText()).startsWith("data:image/png;base64,");
        assertThat(second.params()).containsEntry("model", HostedFixtures.IMAGE_APP);
        HostedFixtures.assertContinues(first, second, scratch);
    }

    @Test
    void aContentPolicyRefusalIsARefusalNotARetry() {
        fal.misbehave(Misbehaviour.REFUSE);
        assertThatThrownBy(() -> render(request("x", 1)))
                .isInstanceOf(ContentRefusedException.class)
                .hasMessageContaining("content policy");
        assertThat(fal.submits()).isEqualTo(1);
    }

    @Test
    void aRefusedKeyMarksTheBackendMisconfiguredAndLaterShotsCostNoCall() throws Exception {
        try (Renderer wrong = RemoteStages.falRenderer(
                new RemoteStages.Fal(
                        "fal",
                        fal.baseUri(),
                        "fal-key-WRONG",
                        null,
                        Duration.ofMillis(20),
                        1 << 20,
                        RemoteFixtures.FAST),
                HostedFixtures.render(HostedFixtures.VIDEO_APP, null, Duration.ofSeconds(5)),
                StageFixtures.FFMPEG)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> wrong.render(request("x", 1), context()))
                        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.retryable())
                                .isFalse())
                        .hasMessageNotContaining("fal-key-WRONG");
            }
            assertThat(((BackendHealth) wrong).misconfigured())
                    .hasValueSatisfying(r -> assertThat(r).contains("401"));
        }
        assertThat(fal.submits()).isEqualTo(1);
    }

    @Test
    void aThrottledSubmitIsTriedAgainAfterRetryAfter() throws Exception {
        fal.misbehave(Misbehaviour.THROTTLE, 1);
        long start = System.nanoTime();
        StageOutput out = render(request("x", 1));

        assertThat(out.file()).exists();
        assertThat(fal.submits()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("waited the Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aServerErrorIsTriedAgain() throws Exception {
        fal.misbehave(Misbehaviour.SERVER_ERROR, 1);
        assertThat(render(request("x", 1)).file()).exists();
        assertThat(fal.submits()).isEqualTo(2);
    }

    @Test
    void aResultWithoutVideoAndALinkThatIsGoneFailThisBackendCleanly() throws Exception {
        for (Misbehaviour m : new Misbehaviour[] {Misbehaviour.NO_VIDEO, Misbehaviour.GONE_URL}) {
            fal.misbehave(m);
            assertThatThrownBy(() -> render(request("x", 1)))
                    .as(m.name())
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("fal");
            assertThat(RemoteFixtures.files(work)).as(m.name()).isEmpty();
        }
    }

    @Test
    void aRequestThatNeverCompletesIsCancelledAtTheTimeout() throws Exception {
        fal.misbehave(Misbehaviour.NEVER_COMPLETES);
        try (Renderer quick = RemoteStages.falRenderer(
                new RemoteStages.Fal(
                        "fal",
                        fal.baseUri(),
                        KEY,
                        null,
                        Duration.ofMillis(20),
                        1 << 20,
                        new PoolPolicy(0, Duration.ofMillis(10), 3, Duration.ofSeconds(30))),
                HostedFixtures.render(HostedFixtures.VIDEO_APP, null, Duration.ofMillis(800)),
                StageFixtures.FFMPEG)) {
            assertThatThrownBy(() -> quick.render(request("x", 1), context()))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("cancelled");
        }
        assertThat(fal.cancelled()).hasSize(1);
    }

    @Test
    void anInputMappingNamingAValueTheStageLacksIsRefusedAtStart() {
        assertThatThrownBy(() -> RemoteStages.falRenderer(
                        HostedFixtures.falAt(fal, KEY),
                        new HostedSettings(
                                HostedFixtures.VIDEO_APP,
                                null,
                                Map.of("prompt", "promt"),
                                null,
                                Map.of(),
                                "",
                                Duration.ofSeconds(5),
                                1 << 20),
                        StageFixtures.FFMPEG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promt");
    }
}
