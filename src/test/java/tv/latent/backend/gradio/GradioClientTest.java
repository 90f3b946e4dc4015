package tv.latent.backend.gradio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tv.latent.backend.gradio.FakeGradioServer.AppError;
import tv.latent.backend.gradio.FakeGradioServer.Fault;
import tv.latent.backend.gradio.FakeGradioServer.Flavor;

@Timeout(20)
class GradioClientTest {
    private static final String TOKEN = "hf_s3cretTokenValue1234567890";
    private static final List<String> ZEROSCOPE_PARAMS = List.of("prompt", "seed", "num_frames", "num_inference_steps");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    // ---- vocabulary ------------------------------------------------------------------------

    private static byte[] videoBytesFor(String prompt) {
        return ("fake mp4 of " + prompt).repeat(50).getBytes(UTF_8);
    }

    private static FakeEndpoint zeroscopeRun() {
        return FakeEndpoint.named("/run")
                .parameter("prompt", "str", "Textbox")
                .parameter("seed", "int", "Slider")
                .parameter("num_frames", "int", "Slider", 24)
                .parameter("num_inference_steps", "int", "Slider", 25)
                .returns("Result", "Video")
                .handler(call -> {
                    call.log("info", "loading model");
                    for (int step = 1; step <= 3; step++) {
                        call.progress(step, 3, "steps", "denoising");
                    }
                    return List.of(
                            call.video("out.mp4", videoBytesFor(call.input(0).asText())));
                });
    }

    private static FakeEndpoint textStream() {
        return FakeEndpoint.named("/stream")
                .parameter("text", "str", "Textbox")
                .returns("Output", "Textbox")
                .handler(call -> {
                    String text = call.input(0).asText();
                    for (int i = 1; i < text.length(); i++) {
                        call.yieldOutput(List.of(text.substring(0, i)));
                    }
                    return List.of(text);
                });
    }

    private static FakeEndpoint failing() {
        return FakeEndpoint.named("/fail")
                .parameter("x", "str", "Textbox")
                .returns("Output", "Textbox")
                .handler(call -> {
                    throw new AppError("prompt rejected by the safety checker");
                });
    }

    private static FakeEndpoint slow() {
        return FakeEndpoint.named("/slow")
                .parameter("x", "str", "Textbox")
                .returns("Output", "Textbox")
                .handler(call -> {
                    call.sleep(Duration.ofSeconds(15));
                    return List.of("late");
                });
    }

    /** FILM-like: unnamed fn_index 1, takes a video, returns it. */
    private static FakeEndpoint filmInterpolate() {
        return FakeEndpoint.unnamed(1)
                .parameter("video", "filepath", "Video")
                .parameter("steps", "int", "Slider", 1)
                .parameter("fps", "str", "Radio", "24")
                .returns("Interpolated", "Video")
                .handler(call -> List.of(call.video("interpolated.mp4", call.inputFile(0))));
    }

    private FakeGradioServer.Builder app(Flavor flavor) {
        return FakeGradioServer.builder()
                .flavor(flavor)
                .endpoint(zeroscopeRun())
                .endpoint(textStream())
                .endpoint(failing())
                .endpoint(slow())
                .endpoint(filmInterpolate());
    }

    private FakeGradioServer start(FakeGradioServer.Builder builder) {
        FakeGradioServer fake = builder.start();
        open.add(fake);
        return fake;
    }

    private GradioClient.Builder clientFor(String spaceOrUrl) {
        return GradioClient.builder(spaceOrUrl)
                .requestTimeout(Duration.ofSeconds(3))
                .callTimeout(Duration.ofSeconds(5))
                .transferTimeout(Duration.ofSeconds(5))
                .wakePollInterval(Duration.ofMillis(20));
    }

    private GradioClient connect(FakeGradioServer fake) throws GradioException {
        GradioClient client = clientFor(fake.root().toString()).connect();
        open.add(client);
        return client;
    }

    private static CallOptions within(Duration timeout) {
        return CallOptions.timeout(timeout);
    }

    private List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Records everything a call reports. */
    private static final class Recorder implements CallListener {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<String> partials = new CopyOnWriteArrayList<>();

        @Override
        public void onQueued(int rank, int queueSize, Duration eta) {
            seen.add("queued " + rank + "/" + queueSize);
        }

        @Override
        public void onStarted(Duration eta) {
            seen.add("started");
        }

        @Override
        public void onProgress(List<ProgressStep> steps) {
            ProgressStep s = steps.get(0);
            seen.add("progress " + s.index() + "/" + s.length() + " " + s.unit());
        }

        @Override
        public void onLog(String level, String message) {
            seen.add("log " + level + " " + message);
        }

        @Override
        public void onPartialOutput(List<JsonNode> data) {
            partials.add(data.get(0).asText());
        }
    }

    // ---- calls on every protocol -----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void callsRunAndDownloadsTheVideoOnEveryProtocol(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);
        Recorder recorder = new Recorder();

        GradioResult result = client.call(
                Endpoint.named("/run"),
                List.of("a red fox", 42, 24, 25),
                within(Duration.ofSeconds(5)).withListener(recorder));
        Path clip = client.download(result.video(0).video(), dir.resolve("shot.mp4"));

        assertThat(clip).hasBinaryContent(videoBytesFor("a red fox"));
        if (flavor != Flavor.GRADIO_3) {
            assertThat(recorder.seen)
                    .containsSubsequence(
                            "queued 0/1",
                            "started",
                            "log info loading model",
                            "progress 1/3 steps",
                            "progress 3/3 steps");
        }
        assertThat(filesUnder(dir)).containsExactly(clip);
    }

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_4_SSE_V1", "GRADIO_4_SSE_V2", "GRADIO_4_SSE_V3", "GRADIO_5", "GRADIO_4_0"})
    void streamsPartialOutputsWithDiffsApplied(Flavor flavor) throws Exception {
        GradioClient client = connect(start(app(flavor)));
        Recorder recorder = new Recorder();

        GradioResult result = client.call(
                Endpoint.named("/stream"),
                List.of("abcd"),
                within(Duration.ofSeconds(5)).withListener(recorder));

        assertThat(recorder.partials).containsExactly("a", "ab", "abc");
        assertThat(result.text(0)).isEqualTo("abcd");
    }

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_4_SSE_V2", "GRADIO_5"})
    void usesTheTwoStepCallApiWhenForced(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);

        GradioResult result = client.call(
                Endpoint.named("/run"),
                List.of("dawn", 1, 24, 25),
                within(Duration.ofSeconds(5)).withSimpleCall());

        assertThat(result.video(0).video().origName()).isEqualTo("out.mp4");
        assertThat(fake.requests())
                .anyMatch(r -> r.method().equals("POST") && r.path().equals(flavor.prefix + "/call/run"));
        assertThat(fake.requests()).noneMatch(r -> r.path().contains("/queue/"));
    }

    @Test
    void callsAnUnqueuedFunctionWithRun() throws Exception {
        FakeEndpoint echo = FakeEndpoint.named("/echo")
                .parameter("x", "str", "Textbox")
                .returns("Output", "Textbox")
                .unqueued()
                .handler(call -> List.of("echo " + call.input(0).asText()));
        FakeGradioServer fake =
                start(FakeGradioServer.builder().flavor(Flavor.GRADIO_5).endpoint(echo));

        GradioResult result = connect(fake).predict("/echo", "hi");

        assertThat(result.text(0)).isEqualTo("echo hi");
        assertThat(fake.requests()).anyMatch(r -> r.path().equals("/gradio_api/run/echo"));
    }

    @Test
    void concurrentCallsGetTheirOwnResults() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_5)));
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String text = "prompt-" + i;
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return client.predict("/stream", text).text(0);
                } catch (GradioException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get()).isEqualTo("prompt-" + i);
        }
    }

    // ---- Space resolution ------------------------------------------------------------------

    @Test
    void resolvesASpaceIdThroughTheHubAndSendsTheTokenEverywhere() throws Exception {
        FakeGradioServer fake =
                start(app(Flavor.GRADIO_5).space("hysts/zeroscope-v2").requireToken(TOKEN));
        GradioClient client =
                clientFor("hysts/zeroscope-v2").hub(fake.hub()).token(TOKEN).connect();
        open.add(client);

        GradioResult result = client.call(Endpoint.named("/run"), List.of("x", 1, 24, 25));
        client.download(result.video(0).video(), dir.resolve("x.mp4"));

        assertThat(client.root()).isEqualTo(fake.root());
        assertThat(fake.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("authorization", "Bearer " + TOKEN);
            assertThat(r.headers()).containsEntry("x-hf-authorization", "Bearer " + TOKEN);
        });
    }

    @Test
    void wakesASleepingSpaceBeforeCalling() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).sleepingSpace("fffiloni/zeroscope-XL", 3));

        GradioClient client = clientFor("fffiloni/zeroscope-XL").hub(fake.hub()).connect();
        open.add(client);

        long polls = fake.requests().stream()
                .filter(r -> r.path().equals("/api/spaces/fffiloni/zeroscope-XL"))
                .count();
        assertThat(polls).isEqualTo(4);
        assertThat(fake.requests()).anyMatch(r -> r.path().equals("/"));
        assertThat(client.predict("/stream", "ok").text(0)).isEqualTo("ok");
    }

    @Test
    void givesUpWakingAfterTheWakeTimeoutWithARetryableError() {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).sleepingSpace("a/sleepy", 1_000_000));

        GradioSpaceException e = catchThrowableOfType(GradioSpaceException.class, () -> clientFor("a/sleepy")
                .hub(fake.hub())
                .wakeTimeout(Duration.ofMillis(300))
                .connect());

        assertThat(e.stage()).isEqualTo("SLEEPING");
        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessageContaining("still SLEEPING");
    }

    @Test
    void failsClearlyOnAPausedSpace() {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).spaceInStage("a/paused", "PAUSED"));

        GradioSpaceException e = catchThrowableOfType(
                GradioSpaceException.class,
                () -> clientFor("a/paused").hub(fake.hub()).connect());

        assertThat(e.stage()).isEqualTo("PAUSED");
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessageContaining("a/paused is paused");
    }

    @Test
    void failsClearlyOnAMissingOrBrokenSpace() {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).spaceInStage("a/broken", "RUNTIME_ERROR"));

        assertThatThrownBy(() -> clientFor("nobody/nothing").hub(fake.hub()).connect())
                .isInstanceOf(GradioSpaceException.class)
                .hasMessageContaining("nobody/nothing not found");
        assertThatThrownBy(() -> clientFor("a/broken").hub(fake.hub()).connect())
                .isInstanceOf(GradioSpaceException.class)
                .hasMessageContaining("RUNTIME_ERROR");
    }

    // ---- login and token -------------------------------------------------------------------

    @Test
    void logsInWhenTheAppAnswers401AndKeepsTheCookie() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).login("director", "pa55word"));

        GradioClient client =
                clientFor(fake.root().toString()).login("director", "pa55word").connect();
        open.add(client);

        assertThat(client.predict("/stream", "in").text(0)).isEqualTo("in");
        assertThat(fake.requests()).anyMatch(r -> r.path().equals("/login"));
    }

    @Test
    void refusesToGoOnWithoutOrWithWrongCredentials() {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).login("director", "pa55word"));

        assertThatThrownBy(() -> clientFor(fake.root().toString()).connect())
                .isInstanceOf(GradioAuthException.class)
                .hasMessageContaining("needs a login");
        GradioAuthException wrong = catchThrowableOfType(
                GradioAuthException.class, () -> clientFor(fake.root().toString())
                        .login("director", "guess")
                        .connect());
        assertThat(wrong).hasMessageContaining("login refused").hasMessageNotContaining("guess");
        assertThat(wrong.retryable()).isFalse();
    }

    @Test
    void neverShowsTheTokenInMessagesOrToString() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5).space("a/b").requireToken("hf_other"));
        List<Object> shown = new ArrayList<>();

        GradioClient.Builder builder =
                clientFor("a/b").hub(fake.hub()).token(TOKEN).login("u", TOKEN);
        shown.add(builder);
        shown.add(catchThrowableOfType(GradioAuthException.class, builder::connect));

        FakeGradioServer open5 = start(app(Flavor.GRADIO_5).space("a/b"));
        GradioClient client = clientFor("a/b").hub(open5.hub()).token(TOKEN).connect();
        open.add(client);
        shown.add(client);
        open5.fault(Fault.QUEUE_FULL);
        shown.add(catchThrowableOfType(GradioQueueFullException.class, () -> client.predict("/run", "x", 1, 24, 25)));
        open5.clearFaults().fault(Fault.HEARTBEATS_FOREVER);
        shown.add(catchThrowableOfType(
                GradioTimeoutException.class,
                () -> client.call(Endpoint.named("/slow"), List.of(TOKEN), within(Duration.ofMillis(300)))));

        for (Object o : shown) {
            assertThat(o).isNotNull();
            assertThat(o.toString()).doesNotContain(TOKEN);
            if (o instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    assertThat(String.valueOf(c.getMessage())).doesNotContain(TOKEN);
                }
            }
        }
    }

    // ---- API discovery ---------------------------------------------------------------------

    @Test
    void comparesExpectedParametersWithTheDiscoveredOnes() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_5)));
        ApiInfo info = client.apiInfo();

        assertThat(info.checkParameters("/run", ZEROSCOPE_PARAMS)).isEmpty();
        assertThat(info.checkParameters("/run", List.of("prompt", "seed"))).isEmpty();
        assertThat(info.checkParameters("1", List.of("video", "steps", "fps"))).isEmpty();
        assertThat(info.endpoint("/run")
                        .orElseThrow()
                        .parameters()
                        .get(2)
                        .defaultValue()
                        .asInt())
                .isEqualTo(24);

        String mismatch = info.checkParameters("/run", List.of("prompt", "negative_prompt", "seed"))
                .orElseThrow();
        assertThat(mismatch)
                .contains("position 1 is seed, expected negative_prompt")
                .contains("[prompt, negative_prompt, seed]")
                .contains("num_frames (int, Slider, default 24)");
        assertThatThrownBy(() -> info.requireParameters("/run", List.of("text")))
                .isInstanceOf(GradioSignatureException.class)
                .hasMessageContaining("position 0 is prompt");
        assertThat(info.checkParameters("/predict_batched", List.of("text")).orElseThrow())
                .contains("no endpoint /predict_batched")
                .contains("/run");
    }

    @Test
    void readsTheConfig() throws Exception {
        GradioClient v5 = connect(start(app(Flavor.GRADIO_5)));
        GradioClient v3 = connect(start(app(Flavor.GRADIO_3)));

        assertThat(v5.config().protocol()).isEqualTo(Protocol.SSE_V3);
        assertThat(v5.config().apiPrefix()).isEqualTo("/gradio_api");
        assertThat(v5.config().byApiName("/run").orElseThrow().fnIndex()).isEqualTo(0);
        assertThat(v5.config().byFnIndex(1).orElseThrow().apiName()).isNull();
        assertThat(v3.config().protocol()).isEqualTo(Protocol.WS);
        assertThat(v3.config().apiPrefix()).isEmpty();
    }

    @Test
    void anUnknownEndpointFailsNamingTheOnesThatExist() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_5)));

        assertThatThrownBy(() -> client.predict("/predict_full", "x"))
                .isInstanceOf(GradioSignatureException.class)
                .hasMessageContaining("/run")
                .hasMessageContaining("/stream");
        assertThatThrownBy(() -> client.call(
                        Endpoint.index(1),
                        List.of(),
                        within(Duration.ofSeconds(1)).withSimpleCall()))
                .isInstanceOf(GradioSignatureException.class)
                .hasMessageContaining("needs an api name");
    }

    // ---- errors ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void reportsAnAppErrorWithTheServersMessage(Flavor flavor) throws Exception {
        GradioClient client = connect(start(app(flavor)));

        GradioAppException e = catchThrowableOfType(GradioAppException.class, () -> client.predict("/fail", "x"));

        assertThat(e.serverMessage()).isEqualTo("prompt rejected by the safety checker");
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessageContaining("/fail");
    }

    @Test
    void reportsAnErrorEventOfTheSimpleCallApi() throws Exception {
        GradioClient v5 = connect(start(app(Flavor.GRADIO_5)));
        GradioClient v4 = connect(start(app(Flavor.GRADIO_4_SSE_V2)));
        CallOptions simple = within(Duration.ofSeconds(3)).withSimpleCall();

        GradioAppException hidden = catchThrowableOfType(
                GradioAppException.class, () -> v5.call(Endpoint.named("/fail"), List.of("x"), simple));
        GradioAppException shown = catchThrowableOfType(
                GradioAppException.class, () -> v4.call(Endpoint.named("/fail"), List.of("x"), simple));

        assertThat(hidden.serverMessage()).isNull();
        assertThat(hidden).hasMessageContaining("without details");
        assertThat(shown.serverMessage()).isEqualTo("prompt rejected by the safety checker");
    }

    @Test
    void reportsUnexpectedErrorAsAnAppError() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        fake.fault(Fault.UNEXPECTED_ERROR);

        assertThatThrownBy(() -> client.predict("/stream", "x"))
                .isInstanceOf(GradioAppException.class)
                .hasMessageContaining("CUDA out of memory");
    }

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_4_0", "GRADIO_4_SSE_V1", "GRADIO_5"})
    void aFullQueueIsARetryableQueueFullError(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);
        fake.fault(Fault.QUEUE_FULL);

        GradioQueueFullException e =
                catchThrowableOfType(GradioQueueFullException.class, () -> client.predict("/stream", "x"));

        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessageContaining("queue");
    }

    @Test
    void aServerErrorIsRetryableAndRejectedInputIsNot() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);

        fake.fault(Fault.SERVER_ERROR);
        GradioHttpException server =
                catchThrowableOfType(GradioHttpException.class, () -> client.predict("/stream", "x"));
        fake.clearFaults().fault(Fault.REJECT_INPUT);
        GradioValidationException rejected = catchThrowableOfType(
                GradioValidationException.class,
                () -> client.call(
                        Endpoint.named("/stream"),
                        List.of("x"),
                        within(Duration.ofSeconds(2)).withSimpleCall()));

        assertThat(server.status()).isEqualTo(500);
        assertThat(server.retryable()).isTrue();
        assertThat(server).hasMessageContaining("/gradio_api/queue/join");
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.retryable()).isFalse();
        assertThat(rejected).hasMessageContaining("Input should be a valid list");
    }

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_4_0", "GRADIO_4_SSE_V1", "GRADIO_5"})
    void aDisconnectMidStreamIsARetryableTransportError(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);
        fake.fault(Fault.DISCONNECT_MID_STREAM);

        GradioTransportException e =
                catchThrowableOfType(GradioTransportException.class, () -> client.predict("/stream", "x"));

        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessageContaining("ended before the result");
    }

    @Test
    void malformedJsonInTheStreamIsATransportError() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        fake.fault(Fault.MALFORMED_JSON);

        GradioTransportException queue =
                catchThrowableOfType(GradioTransportException.class, () -> client.predict("/stream", "x"));
        GradioTransportException simple = catchThrowableOfType(
                GradioTransportException.class,
                () -> client.call(
                        Endpoint.named("/stream"),
                        List.of("x"),
                        within(Duration.ofSeconds(2)).withSimpleCall()));

        assertThat(queue).hasMessageContaining("malformed JSON");
        assertThat(queue.retryable()).isFalse();
        assertThat(simple).hasMessageContaining("malformed JSON");
    }

    @Test
    void aWrongContentTypeIsATransportError() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        fake.fault(Fault.WRONG_CONTENT_TYPE);

        assertThatThrownBy(() -> client.predict("/stream", "x"))
                .isInstanceOf(GradioTransportException.class)
                .hasMessageContaining("expected an event stream");
        assertThatThrownBy(() -> connect(fake))
                .isInstanceOf(GradioTransportException.class)
                .hasMessageContaining("expected JSON")
                .hasMessageContaining("text/html");
    }

    // ---- timeouts and cancel ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_4_0", "GRADIO_4_SSE_V1", "GRADIO_5"})
    void heartbeatsForeverDoNotExtendTheTimeoutAndTheCallIsCancelled(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);
        fake.fault(Fault.HEARTBEATS_FOREVER);

        // a timeout exception at all proves the heartbeats did not keep the call alive
        GradioTimeoutException e = catchThrowableOfType(
                GradioTimeoutException.class,
                () -> client.call(Endpoint.named("/stream"), List.of("x"), within(Duration.ofMillis(400))));

        assertThat(e.retryable()).isTrue();
        if (flavor != Flavor.GRADIO_4_0) {
            assertThat(fake.cancels()).singleElement().satisfies(c -> {
                assertThat(c.path("event_id").asText()).isNotBlank();
                assertThat(c.path("session_hash").asText()).isNotBlank();
                assertThat(c.path("fn_index").asInt()).isEqualTo(2);
            });
        }
    }

    @Test
    void aSlowServerTimesOutWithinTheCallTimeout() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        fake.delay(Duration.ofSeconds(3));

        assertThatThrownBy(() -> client.call(Endpoint.named("/stream"), List.of("x"), within(Duration.ofMillis(300))))
                .isInstanceOf(GradioTimeoutException.class);
    }

    @Test
    void aSlowFunctionTimesOutAndIsCancelledWithTheSimpleCallApi() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);

        assertThatThrownBy(() -> client.call(
                        Endpoint.named("/slow"),
                        List.of("x"),
                        within(Duration.ofMillis(400)).withSimpleCall()))
                .isInstanceOf(GradioTimeoutException.class)
                .hasMessageContaining("/slow");
        assertThat(fake.cancels()).hasSize(1);
    }

    @Test
    void interruptingTheCallerCancelsTheCall() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();

        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.call(Endpoint.named("/slow"), List.of("x"), within(Duration.ofSeconds(10)));
            } catch (GradioException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(500);
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(GradioCancelledException.class);
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(fake.cancels()).hasSize(1);
    }

    @Test
    void closeIsIdempotentAndRefusesLaterCalls() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_5)));

        client.close();
        client.close();

        assertThatThrownBy(() -> client.predict("/stream", "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTheClientAbortsACallInFlight() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_5)));
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                client.call(Endpoint.named("/slow"), List.of("x"), within(Duration.ofSeconds(10)));
                return null;
            } catch (GradioException e) {
                return e;
            }
        });
        Thread.sleep(400);

        client.close();

        assertThat(outcome.get(3, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(GradioTransportException.class);
    }

    // ---- files -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(
            value = Flavor.class,
            names = {"GRADIO_3", "GRADIO_4_SSE_V3", "GRADIO_5"})
    void uploadsAVideoAndCallsAnEndpointWithIt(Flavor flavor) throws Exception {
        FakeGradioServer fake = start(app(flavor));
        GradioClient client = connect(fake);
        Path local = Files.write(dir.resolve("clip one.mp4"), videoBytesFor("upload"));

        FileData uploaded = client.upload(local);
        GradioResult result = client.call(Endpoint.index(1), List.of(client.videoInput(uploaded), 2, "24"));
        Path out = client.download(result.video(0).video(), dir.resolve("out/interpolated.mp4"));

        assertThat(fake.storedFile(uploaded.path())).isEqualTo(videoBytesFor("upload"));
        assertThat(uploaded.origName()).isEqualTo("clip_one.mp4");
        assertThat(out).hasBinaryContent(videoBytesFor("upload"));
    }

    @Test
    void buildsFileInputsAsGradioExpects() {
        FileData file = FileData.of("/tmp/gradio/abc/x.mp4", "x.mp4");
        ObjectMapper json = new ObjectMapper();

        assertThat(file.toInput())
                .isEqualTo(json.createObjectNode()
                        .put("path", "/tmp/gradio/abc/x.mp4")
                        .put("orig_name", "x.mp4")
                        .set("meta", json.createObjectNode().put("_type", "gradio.FileData")));
        assertThat(VideoData.input(file).get("video")).isEqualTo(file.toInput());
        assertThat(VideoData.input(file).get("subtitles").isNull()).isTrue();
        assertThat(file.toLegacyInput().get("is_file").asBoolean()).isTrue();
    }

    @Test
    void readsFileOutputsOfEveryVersion() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode v4 = json.readTree(
                "{\"video\": {\"path\": \"/tmp/a.mp4\", \"url\": \"https://x/file=/tmp/a.mp4\", \"size\": 10,"
                        + " \"orig_name\": \"a.mp4\", \"mime_type\": \"video/mp4\", \"meta\": {\"_type\": \"gradio.FileData\"}}, \"subtitles\": null}");
        JsonNode v3 = json.readTree(
                "[{\"name\": \"/tmp/b.mp4\", \"data\": null, \"is_file\": true, \"orig_name\": \"b.mp4\"}, null]");
        JsonNode audio =
                json.readTree("{\"path\": \"/tmp/c.wav\", \"url\": null, \"meta\": {\"_type\": \"gradio.FileData\"}}");

        VideoData video4 = VideoData.parse(v4).orElseThrow();
        VideoData video3 = VideoData.parse(v3).orElseThrow();
        assertThat(video4.video().url()).isEqualTo("https://x/file=/tmp/a.mp4");
        assertThat(video4.video().size()).isEqualTo(10L);
        assertThat(video4.subtitles()).isNull();
        assertThat(video3.video().path()).isEqualTo("/tmp/b.mp4");
        assertThat(video3.video().legacy()).isTrue();
        assertThat(FileData.parse(audio).orElseThrow().safeExtension()).isEqualTo("wav");
        assertThat(FileData.parse(json.readTree("\"text\""))).isEmpty();
        assertThat(FileData.of("/x/../../evil.sh; rm -rf", null).safeExtension())
                .isEmpty();
    }

    @Test
    void downloadsAnInline3xDataUri() throws Exception {
        GradioClient client = connect(start(app(Flavor.GRADIO_3)));
        FileData inline = FileData.parse(new ObjectMapper()
                        .readTree("{\"name\": null, \"data\": \"data:audio/wav;base64,UklGRg==\", \"is_file\": false}"))
                .orElseThrow();

        Path out = client.download(inline, dir.resolve("a.wav"));

        assertThat(out).hasBinaryContent(new byte[] {'R', 'I', 'F', 'F'});
        assertThatThrownBy(() -> client.download(inline, dir.resolve("b.wav"), 2))
                .isInstanceOf(GradioFileException.class);
    }

    @Test
    void abortsAnEndlessDownloadAtTheSizeLimit() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "x", 1, 24, 25).video(0).video();
        fake.fault(Fault.ENDLESS_DOWNLOAD);
        Path target = dir.resolve("clips/endless.mp4");

        GradioFileException e =
                catchThrowableOfType(GradioFileException.class, () -> client.download(file, target, 1 << 20));

        assertThat(e).hasMessageContaining("limit of 1048576");
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void refusesADownloadWhoseContentLengthPassesTheLimit() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "x", 1, 24, 25).video(0).video();
        fake.fault(Fault.HUGE_CONTENT_LENGTH);

        assertThatThrownBy(() -> client.download(file, dir.resolve("huge.mp4"), 1 << 20))
                .isInstanceOf(GradioFileException.class)
                .hasMessageContaining("10000000000 bytes");
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void resumesABrokenDownloadWithARangeRequest() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "resume me", 1, 24, 25).video(0).video();
        fake.fault(Fault.TRUNCATE_DOWNLOAD_ONCE);

        Path out = client.download(file, dir.resolve("resumed.mp4"));

        assertThat(out).hasBinaryContent(videoBytesFor("resume me"));
        assertThat(fake.requests())
                .anyMatch(r -> r.headers().getOrDefault("range", "").startsWith("bytes="));
    }

    @Test
    void followsRedirectsForFiles() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "moved", 1, 24, 25).video(0).video();
        fake.fault(Fault.REDIRECT_FILES);

        assertThat(client.download(file, dir.resolve("moved.mp4"))).hasBinaryContent(videoBytesFor("moved"));
        assertThat(fake.requests()).anyMatch(r -> r.path().startsWith("/moved/file="));
    }

    @Test
    void refusesToFollowARedirectOutOfHttp() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        FileData file = client.predict("/run", "x", 1, 24, 25).video(0).video();
        fake.fault(Fault.REDIRECT_TO_FILE_SCHEME);

        assertThatThrownBy(() -> client.download(file, dir.resolve("passwd")))
                .isInstanceOf(GradioTransportException.class)
                .hasMessageContaining("non-HTTP");
        assertThatThrownBy(() -> client.download(
                        new FileData(null, "file:///etc/passwd", null, null, null, false, false, null),
                        dir.resolve("p")))
                .isInstanceOf(GradioFileException.class);
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void neverUsesAServerFileNameLocally() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        GradioClient client = connect(fake);
        fake.fault(Fault.TRAVERSAL_FILE_NAME);
        Path clips = Files.createDirectories(dir.resolve("clips"));

        FileData file = client.predict("/run", "escape", 1, 24, 25).video(0).video();
        Path out = client.download(file, clips.resolve("shot-7." + file.safeExtension()));

        assertThat(file.origName()).contains("../");
        assertThat(out).isEqualTo(clips.resolve("shot-7.mp4"));
        assertThat(filesUnder(dir)).containsExactly(out);
    }

    @Test
    void downloadsDoNotSendTheTokenToAnotherHost() throws Exception {
        FakeGradioServer fake = start(app(Flavor.GRADIO_5));
        FakeGradioServer other = start(app(Flavor.GRADIO_5));
        String path = other.addFile("elsewhere.mp4", videoBytesFor("cdn"), "video/mp4");
        // the other host is one the configuration allows (it is on loopback like the app)
        GradioClient client = clientFor(fake.root().toString())
                .token(TOKEN)
                .allowDownloadsFrom(
                        List.of(other.root().getHost() + ":" + other.root().getPort()))
                .connect();
        open.add(client);

        client.download(
                FileData.of(other.root() + "/gradio_api/file=" + path, "elsewhere.mp4"), dir.resolve("cdn.mp4"));

        assertThat(other.requests()).singleElement().satisfies(r -> assertThat(r.headers())
                .doesNotContainKey("authorization"));
        assertThat(fake.requests()).allSatisfy(r -> assertThat(r.headers()).containsKey("authorization"));
    }
}
