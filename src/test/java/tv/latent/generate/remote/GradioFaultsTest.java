package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.gradio.FakeGradioServer.Fault;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.testing.TestMedia;

/** Each way a Gradio app misbehaves ends in a clear stage failure, a retry or a result, never a file outside the work dir. */
class GradioFaultsTest {
    @TempDir
    Path root;

    Path work;
    FakeGradioServer fake;

    static final RenderRequest SHOT = new RenderRequest("a fox in the snow", "", 7, 256, 144, 24, 8);

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
    }

    @AfterEach
    void tearDown() {
        if (fake != null) {
            fake.close();
        }
    }

    Renderer renderer(Duration timeout) {
        return RemoteStages.zeroscope(RemoteFixtures.gradio(List.of(fake.root().toString()), timeout), 25);
    }

    StageOutput render(Renderer renderer) throws Exception {
        return renderer.render(SHOT, new StageContext(work, StageContext.ProgressSink.NONE));
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {
                "QUEUE_FULL",
                "SERVER_ERROR",
                "DISCONNECT_MID_STREAM",
                "HEARTBEATS_FOREVER",
                "MALFORMED_JSON",
                "UNEXPECTED_ERROR",
                "ENDLESS_DOWNLOAD",
                "HUGE_CONTENT_LENGTH",
                "REDIRECT_TO_FILE_SCHEME",
                "REJECT_INPUT"
            })
    void aMisbehavingAppEndsInAStageFailureAndLeavesNothingBehind(Fault fault) throws Exception {
        fake = RemoteFixtures.zeroscope();
        fake.fault(fault);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        try (Renderer renderer = RemoteStages.zeroscope(
                new RemoteStages.Gradio(
                        "zeroscope",
                        List.of(fake.root().toString()),
                        null,
                        null,
                        null,
                        -1,
                        List.of(),
                        Duration.ofSeconds(3),
                        4L << 20,
                        RemoteFixtures.FAST),
                25)) {
            assertThatThrownBy(() -> render(renderer))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("zeroscope");
        }
        assertThat(RemoteFixtures.files(root)).as("no partial or stray file").isEmpty();
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after - before).as("memory stays bounded").isLessThan(256L << 20);
    }

    @Test
    void aFullQueueIsRetryableAndATransientOneIsRetriedToSuccess() throws Exception {
        fake = RemoteFixtures.zeroscope();
        fake.fault(Fault.QUEUE_FULL);
        try (Renderer renderer = renderer(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> render(renderer))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isTrue());
            fake.clearFaults();
            assertThat(render(renderer).file()).exists().hasParent(work);
        }
    }

    @Test
    void aServerFileNameWithDotDotIsNeverUsedLocally() throws Exception {
        fake = RemoteFixtures.zeroscope();
        fake.fault(Fault.TRAVERSAL_FILE_NAME);
        try (Renderer renderer = renderer(Duration.ofSeconds(5))) {
            try {
                StageOutput out = render(renderer);
                assertThat(out.file()).hasParent(work);
            } catch (StageException e) {
                assertThat(e.getMessage()).contains("zeroscope");
            }
        }
        assertThat(RemoteFixtures.files(root))
                .allSatisfy(f -> assertThat(f).startsWith("work/").doesNotContain(".."));
    }

    @Test
    void aSlowAppRunsIntoTheCallTimeout() throws Exception {
        fake = RemoteFixtures.zeroscope();
        fake.delay(Duration.ofSeconds(5));
        try (Renderer renderer = renderer(Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> render(renderer))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("time");
        }
    }

    @Test
    void aChangedSignatureFailsWithBothParameterLists() throws Exception {
        fake = FakeGradioServer.builder()
                .flavor(FakeGradioServer.Flavor.GRADIO_5)
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("text", "str", "Textbox")
                        .parameter("seed", "int", "Slider")
                        .returns("Result", "Video")
                        .handler(call -> List.of(call.video("o.mp4", TestMedia.mp4(256, 144, 24, 8)))))
                .start();
        try (Renderer renderer = renderer(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> render(renderer))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("num_frames")
                    .hasMessageContaining("text")
                    .hasMessageContaining("the app takes");
        }
    }

    @Test
    void aSleepingSpaceIsWokenAndQueueAndStepsShowAsProgress() throws Exception {
        fake = FakeGradioServer.builder()
                .flavor(FakeGradioServer.Flavor.GRADIO_5)
                .sleepingSpace("hysts/zeroscope-v2", 2)
                .endpoint(RemoteFixtures.zeroscopeRun())
                .start();
        List<String> details = new CopyOnWriteArrayList<>();
        try (Renderer renderer = RemoteStages.zeroscope(
                new RemoteStages.Gradio(
                        "zeroscope",
                        List.of("hysts/zeroscope-v2"),
                        "hf_test",
                        fake.hub(),
                        null,
                        -1,
                        List.of(),
                        Duration.ofSeconds(20),
                        64L << 20,
                        RemoteFixtures.FAST),
                25)) {
            StageOutput out = renderer.render(SHOT, new StageContext(work, (f, d) -> details.add(d)));
            assertThat(out.file()).exists();
            assertThat(out.backend()).isEqualTo("zeroscope");
        }
        assertThat(details).anySatisfy(d -> assertThat(d).startsWith("step 5/10"));
        assertThat(Set.copyOf(RemoteFixtures.files(root))).hasSize(1);
    }

    @Test
    void aResultFileOnAnotherHostFailsTheStageForGoodAndIsNeverFetched() throws Exception {
        var canaryHits = new java.util.concurrent.atomic.AtomicInteger();
        var canary = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        canary.createContext("/", exchange -> {
            canaryHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        canary.start();
        try {
            fake = RemoteFixtures.zeroscope();
            fake.redirectFilesTo(java.net.URI.create(
                    "http://127.0.0.1:" + canary.getAddress().getPort()));
            try (Renderer renderer = renderer(Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> render(renderer))
                        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.retryable())
                                .isFalse())
                        .hasMessageContaining("refused to download from http://127.0.0.1:"
                                + canary.getAddress().getPort());
            }
            assertThat(canaryHits).hasValue(0);
            assertThat(RemoteFixtures.files(root)).isEmpty();
        } finally {
            canary.stop(0);
        }
    }

    @Test
    void aServersRetryAfterReachesTheStageFailure() throws Exception {
        fake = RemoteFixtures.zeroscope();
        fake.fault(Fault.RATE_LIMITED);
        try (Renderer renderer = RemoteStages.zeroscope(
                new RemoteStages.Gradio(
                        "zeroscope",
                        List.of(fake.root().toString()),
                        null,
                        null,
                        null,
                        -1,
                        List.of(),
                        Duration.ofSeconds(5),
                        64L << 20,
                        new PoolPolicy(0, Duration.ofMillis(10), 3, Duration.ofMinutes(1))),
                25)) {
            assertThatThrownBy(() -> render(renderer)).isInstanceOfSatisfying(StageException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            });
        }
    }

    @Test
    void twoEndpointsShareTheWorkAndADeadOneIsSkipped() throws Exception {
        fake = RemoteFixtures.zeroscope();
        String dead = "http://127.0.0.1:9"; // discard port: nothing listens
        try (Renderer renderer = RemoteStages.zeroscope(
                new RemoteStages.Gradio(
                        "zeroscope",
                        List.of(dead, fake.root().toString()),
                        null,
                        null,
                        null,
                        -1,
                        List.of(),
                        Duration.ofSeconds(10),
                        64L << 20,
                        new PoolPolicy(2, Duration.ofMillis(10), 1, Duration.ofMinutes(1))),
                25)) {
            for (int i = 0; i < 3; i++) {
                assertThat(render(renderer).file()).exists();
            }
        }
    }
}
