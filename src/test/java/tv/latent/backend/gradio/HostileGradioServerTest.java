package tv.latent.backend.gradio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeGradioServer.Fault;

/**
 * A Gradio server that tries to hurt the station, on loopback: endless events, a diff stream that
 * never stops growing, a compression bomb, file URLs and redirects to another host, a 429 with
 * Retry-After. Each fails only its own call, with a reason, within bounded memory.
 */
@Timeout(60)
class HostileGradioServerTest {
    /** What the client holds per event by default. */
    private static final long EVENT_LIMIT = 16 << 20;
    /** What loopback socket buffers can hold besides, on top of the limit. */
    private static final long BUFFERS = 16 << 20;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** An app whose /run returns a video, as zeroscope does. */
    private FakeGradioServer app() {
        return start(FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .returns("Result", "Video")
                        .handler(call -> List.of(call.video("out.mp4", "mp4 bytes".getBytes(UTF_8))))));
    }

    private FakeGradioServer start(FakeGradioServer.Builder builder) {
        FakeGradioServer fake = builder.start();
        open.add(fake);
        return fake;
    }

    private GradioClient connect(FakeGradioServer fake) throws GradioException {
        GradioClient client = GradioClient.builder(fake.root().toString())
                .requestTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(30))
                .transferTimeout(Duration.ofSeconds(10))
                .connect();
        open.add(client);
        return client;
    }

    /** An HTTP server on another loopback port that counts what reaches it. */
    private static final class Canary implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();

        Canary() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] body = "secret metadata".getBytes(UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        URI root() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Canary canary() throws Exception {
        Canary canary = new Canary();
        open.add(canary);
        return canary;
    }

    /** Waits until the fake stops writing its endless stream (the client hung up), and returns what it wrote. */
    private static long writtenOnceStopped(FakeGradioServer fake) throws InterruptedException {
        long before;
        long after = fake.streamedBytes();
        do {
            before = after;
            Thread.sleep(300);
            after = fake.streamedBytes();
        } while (after != before);
        return after;
    }

    @Test
    void oneEndlessDataLineFailsTheCallAtTheEventLimitAndIsReadNoFurther() throws Exception {
        FakeGradioServer fake = app().fault(Fault.ENDLESS_DATA_LINE);
        GradioClient client = connect(fake);

        GradioTransportException e =
                catchThrowableOfType(GradioTransportException.class, () -> client.predict("/run", "a fox"));

        assertThat(e).hasMessageContaining("event-stream line is longer than " + EVENT_LIMIT + " bytes");
        assertThat(e.retryable()).isFalse();
        assertThat(writtenOnceStopped(fake))
                .as("the client stopped reading at the limit")
                .isLessThan(EVENT_LIMIT + BUFFERS);
    }

    @Test
    void endlessShortDataLinesOfOneEventFailTheCallAtTheEventLimit() throws Exception {
        FakeGradioServer fake = app().fault(Fault.ENDLESS_DATA_EVENT);
        GradioClient client = connect(fake);

        GradioTransportException e =
                catchThrowableOfType(GradioTransportException.class, () -> client.predict("/run", "a fox"));

        assertThat(e).hasMessageContaining("event-stream event is larger than " + EVENT_LIMIT + " bytes");
        assertThat(writtenOnceStopped(fake)).isLessThan(EVENT_LIMIT + BUFFERS);
    }

    @Test
    void aDiffStreamThatKeepsGrowingIsFollowedOnlyUpToTheLimitAndTheResultStillArrives() throws Exception {
        String chunk = "x".repeat(256 * 1024);
        int chunks = 160; // 40 MB of streamed text, far past the limit
        FakeGradioServer fake = start(FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/stream")
                        .parameter("text", "str", "Textbox")
                        .returns("Output", "Textbox")
                        .handler(call -> {
                            StringBuilder text = new StringBuilder();
                            for (int i = 0; i < chunks; i++) {
                                text.append(chunk);
                                call.yieldOutput(List.of(text.toString()));
                            }
                            return List.of("done");
                        })));
        GradioClient client = connect(fake);
        AtomicLong largestPartial = new AtomicLong();
        CallListener listener = new CallListener() {
            @Override
            public void onPartialOutput(List<JsonNode> data) {
                largestPartial.accumulateAndGet(data.get(0).asText().length(), Math::max);
            }
        };

        GradioResult result = client.call(
                Endpoint.named("/stream"),
                List.of("go"),
                CallOptions.timeout(Duration.ofSeconds(50)).withListener(listener));

        assertThat(result.text(0)).isEqualTo("done");
        assertThat(largestPartial.get()).isPositive().isLessThanOrEqualTo(EVENT_LIMIT);
    }

    @Test
    void aCompressionBombFailsAtTheLimitOfTheDecodedAnswer() {
        FakeGradioServer fake = app().fault(Fault.GZIP_BOMB_CONFIG);

        GradioTransportException e = catchThrowableOfType(GradioTransportException.class, () -> connect(fake));

        assertThat(e).hasMessageContaining("larger than " + (64 << 20) + " bytes once decoded (gzip)");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aFileUrlOnAnotherPortIsNeverFetchedAndTheReasonIsSaid() throws Exception {
        Canary canary = canary();
        FakeGradioServer fake = start(FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .returns("Result", "Video")
                        .handler(call -> List.of(videoAt(canary.root() + "/latest/meta-data/iam")))));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "a fox").video(0).video();

        GradioFileException e =
                catchThrowableOfType(GradioFileException.class, () -> client.download(file, dir.resolve("out.mp4")));

        assertThat(e)
                .hasMessageContaining("refused to download from " + canary.root() + ":")
                .hasMessageContaining("neither the backend's own origin");
        assertThat(e.retryable()).isFalse();
        assertThat(canary.requests).as("the canary got no request").hasValue(0);
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void aRedirectToAnotherHostIsRefusedBeforeItIsFollowed() throws Exception {
        Canary canary = canary();
        FakeGradioServer fake = app();
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "a fox").video(0).video();
        fake.redirectFilesTo(canary.root());

        GradioFileException e =
                catchThrowableOfType(GradioFileException.class, () -> client.download(file, dir.resolve("out.mp4")));

        assertThat(e).hasMessageContaining("refused to download from " + canary.root());
        assertThat(canary.requests).hasValue(0);
    }

    @Test
    void aHostTheConfigurationAllowsIsFetched() throws Exception {
        Canary canary = canary();
        FakeGradioServer fake = start(FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .returns("Result", "Video")
                        .handler(call -> List.of(videoAt(canary.root() + "/cdn/out.mp4")))));
        GradioClient client = GradioClient.builder(fake.root().toString())
                .allowDownloadsFrom(List.of("127.0.0.1:" + canary.root().getPort()))
                .connect();
        open.add(client);
        FileData file = client.predict("/run", "a fox").video(0).video();

        assertThat(client.download(file, dir.resolve("out.mp4"))).hasContent("secret metadata");
        assertThat(canary.requests).hasValue(1);
    }

    @Test
    void a429WithRetryAfterSaysHowLongTheServerAskedToWait() throws Exception {
        FakeGradioServer fake = app();
        GradioClient client = connect(fake);
        fake.fault(Fault.RATE_LIMITED);

        GradioHttpException e = catchThrowableOfType(GradioHttpException.class, () -> client.predict("/run", "x"));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    private static Map<String, Object> videoAt(String url) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "/tmp/gradio/x/out.mp4");
        file.put("url", url);
        file.put("orig_name", "out.mp4");
        file.put("meta", Map.of("_type", "gradio.FileData"));
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("video", file);
        video.put("subtitles", null);
        return video;
    }
}
