package tv.latent.backend.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static tv.latent.backend.comfyui.WorkflowTest.aFoxClip;
import static tv.latent.backend.comfyui.WorkflowTest.resource;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.comfyui.ComfyUiException.Kind;
import tv.latent.backend.comfyui.FakeComfyUiServer.Misbehaviour;
import tv.latent.testing.TestMedia;

class ComfyUiClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path root;

    private FakeComfyUiServer fake;
    private ComfyUiClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private ComfyUiClient clientOf(FakeComfyUiServer server) {
        fake = server;
        client = ComfyUiClient.builder(server.baseUri())
                .pollInterval(Duration.ofMillis(50))
                .build();
        return client;
    }

    /** Remembers what a progress listener heard. */
    static final class RecordingListener implements PromptListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void queueRemaining(int prompts) {
            events.add("queue " + prompts);
        }

        @Override
        public void started(String promptId) {
            events.add("started");
        }

        @Override
        public void executing(String nodeId) {
            events.add("node " + nodeId);
        }

        @Override
        public void step(String nodeId, int value, int max) {
            events.add("step " + value + "/" + max);
        }

        @Override
        public void executed(String nodeId) {
            events.add("executed " + nodeId);
        }
    }

    private Path clips() {
        return root.resolve("clips");
    }

    @Test
    void runsAWorkflowWithPlaceholdersAndDownloadsItsVideo() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());
        Path target = clips().resolve("fox.mp4");

        Path video = comfy.renderVideo(resource("text2video.json"), aFoxClip(), target, TIMEOUT, PromptListener.NONE);

        assertThat(video).isEqualTo(target.toAbsolutePath());
        assertThat(Files.readAllBytes(video)).isEqualTo(TestMedia.mp4(256, 256, 16, 8));
        try (Stream<Path> files = Files.list(clips())) {
            assertThat(files).containsExactly(video);
        }
        var sent = fake.lastPrompt();
        assertThat(sent.at("/prompt/2/inputs/text").asText()).isEqualTo("a red fox, golden hour");
        assertThat(sent.at("/prompt/5/inputs/seed").asLong()).isEqualTo(42);
        assertThat(fake.webSocketClients()).contains(sent.path("client_id").asText());
        assertThat(sent.path("prompt_id").asText()).isNotEmpty();
    }

    @Test
    void reportsQueueNodesAndSamplerStepsToTheListener() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().steps(3).start());
        var listener = new RecordingListener();

        PromptResult result = comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, listener);

        assertThat(listener.events)
                .startsWith("queue 0")
                .contains("started", "node 1", "node 5", "step 1/3", "step 2/3", "step 3/3", "executed 8");
        assertThat(listener.events.indexOf("step 3/3")).isLessThan(listener.events.indexOf("node 6"));
        assertThat(result.status()).isEqualTo("success");
        OutputFile video = result.video().orElseThrow();
        assertThat(video.nodeId()).isEqualTo("8");
        assertThat(video.key()).isEqualTo("images");
        assertThat(video.subfolder()).isEqualTo("video");
    }

    @Test
    void uploadsTheInputVideoAndFindsVideoHelperSuiteOutputs() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());
        Path small = root.resolve("fox 576w.mp4");
        Files.write(small, TestMedia.mp4(128, 64, 8, 8));

        UploadedFile uploaded = comfy.upload(small, "latenttv", true);
        Path xl = comfy.renderVideo(
                resource("upscale-vhs.json"),
                WorkflowInputs.builder()
                        .inputVideo(uploaded)
                        .prompt("a red fox, golden hour")
                        .negativePrompt("")
                        .seed(42)
                        .size(1024, 576)
                        .denoise(0.6)
                        .fps(8)
                        .build(),
                clips().resolve("fox-xl.mp4"),
                TIMEOUT,
                PromptListener.NONE);

        assertThat(uploaded).isEqualTo(new UploadedFile("fox_576w.mp4", "latenttv", "input"));
        assertThat(fake.uploads().getFirst().content()).isEqualTo(Files.readAllBytes(small));
        assertThat(fake.uploads().getFirst().overwrite()).isTrue();
        assertThat(fake.lastPrompt().at("/prompt/1/inputs/video").asText()).isEqualTo("latenttv/fox_576w.mp4");
        assertThat(fake.lastPrompt().at("/prompt/7/inputs/denoise").asDouble()).isEqualTo(0.6);
        assertThat(xl).exists();
    }

    @Test
    void getsANewNameFromTheServerWhenNotOverwriting() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());
        Path small = root.resolve("fox.mp4");
        Files.write(small, TestMedia.mp4(128, 64, 8, 8));

        comfy.upload(small, "", false);
        UploadedFile second = comfy.upload(small, "", false);

        assertThat(second.workflowValue()).isEqualTo("fox (1).mp4");
    }

    @Test
    void speaksTheApiPrefixedRoutes() throws Exception {
        fake = FakeComfyUiServer.builder().start();
        client = ComfyUiClient.builder(fake.baseUri()).useApiPrefix(true).build();

        Path video = client.renderVideo(
                resource("text2video.json"), aFoxClip(), clips().resolve("fox.mp4"), TIMEOUT, PromptListener.NONE);

        assertThat(video).exists();
    }

    @Test
    void reportsARejectedWorkflowWithItsNodeErrors() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.REJECT_WORKFLOW)
                .start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.route()).isEqualTo("POST /prompt");
        assertThat(e).hasMessageContaining("Prompt outputs failed validation");
        assertThat(e.nodeErrors()).singleElement().satisfies(error -> {
            assertThat(error.nodeId()).isEqualTo("1");
            assertThat(error.classType()).isEqualTo("CheckpointLoaderSimple");
            assertThat(error.messages())
                    .singleElement()
                    .asString()
                    .contains("Value not in list", "missing.safetensors");
        });
    }

    @Test
    void reportsAWorkflowWithoutOutputsAsRejected() {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());
        var graph = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        graph.putObject("1").put("class_type", "CheckpointLoaderSimple").putObject("inputs");

        var e = catchThrowableOfType(ComfyUiException.class, () -> comfy.submit(graph));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e).hasMessageContaining("Prompt has no outputs");
    }

    @Test
    void reportsAServerErrorWhileQueueingAsRetryable() {
        ComfyUiClient comfy = clientOf(
                FakeComfyUiServer.builder().misbehave(Misbehaviour.SERVER_ERROR).start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void a429WhileQueueingSaysHowLongTheServerAskedToBeLeftAlone() {
        ComfyUiClient comfy = clientOf(
                FakeComfyUiServer.builder().misbehave(Misbehaviour.RATE_LIMITED).start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.BUSY);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void reportsAnExecutionErrorWithTheNodeAndMessage() {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.EXECUTION_ERROR)
                .start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.renderVideo(
                        resource("text2video.json"),
                        aFoxClip(),
                        clips().resolve("fox.mp4"),
                        TIMEOUT,
                        PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.EXECUTION_FAILED);
        assertThat(e.nodeId()).isEqualTo("5");
        assertThat(e.promptId()).isEqualTo(fake.lastPrompt().path("prompt_id").asText());
        assertThat(e).hasMessageContaining("KSampler").hasMessageContaining("CUDA out of memory");
        // Out of memory may pass on a retry (another GPU, or after other work frees memory).
        assertThat(e.retryable()).isTrue();
        assertThat(clips()).doesNotExist();
    }

    @Test
    void fallsBackToHistoryPollingWhenWebSocketDrops() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.WEBSOCKET_DROPS)
                .steps(5)
                .start());
        var listener = new RecordingListener();

        PromptResult result = comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, listener);

        assertThat(result.video()).isPresent();
        assertThat(listener.events).contains("started").doesNotContain("step 1/5");
    }

    @Test
    void pollsTheHistoryWhenTheWebSocketIsRefused() throws Exception {
        ComfyUiClient comfy = clientOf(
                FakeComfyUiServer.builder().misbehave(Misbehaviour.NO_WEBSOCKET).start());

        PromptResult result = comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE);

        assertThat(fake.webSocketClients()).isEmpty();
        assertThat(result.video()).isPresent();
    }

    @Test
    void waitsForTheHistoryEntryThatAppearsAfterTheSocketSaysDone() throws Exception {
        ComfyUiClient comfy = clientOf(
                FakeComfyUiServer.builder().historyDelay(Duration.ofMillis(400)).start());

        PromptResult result = comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE);

        assertThat(result.video()).isPresent();
    }

    @Test
    void cancelsAPromptThatOverrunsItsTimeout() {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.NEVER_FINISHES)
                .start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.run(resource("text2video.json"), aFoxClip(), Duration.ofMillis(600), PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        String promptId = fake.lastPrompt().path("prompt_id").asText();
        assertThat(e.promptId()).isEqualTo(promptId);
        assertThat(fake.deletedFromQueue()).containsExactly(promptId);
        assertThat(fake.interrupts())
                .singleElement()
                .satisfies(body -> assertThat(body.path("prompt_id").asText()).isEqualTo(promptId));
    }

    @Test
    void reportsAPromptInterruptedOnTheServer() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.NEVER_FINISHES)
                .start());
        QueuedPrompt queued = comfy.submit(resource("text2video.json").fill(aFoxClip()));
        Thread.sleep(200);

        comfy.cancel(queued.promptId());
        var e = catchThrowableOfType(ComfyUiException.class, () -> comfy.await(queued.promptId(), TIMEOUT));

        assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED);
        assertThat(e.nodeId()).isEqualTo("5");
    }

    @Test
    void awaitsAPromptQueuedEarlierByPollingItsHistory() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());

        QueuedPrompt queued = comfy.submit(resource("text2video.json").fill(aFoxClip()));
        assertThat(comfy.history(queued.promptId())).isEmpty();
        PromptResult result = comfy.await(queued.promptId(), TIMEOUT);

        assertThat(result.promptId()).isEqualTo(queued.promptId());
        assertThat(comfy.history(queued.promptId())).contains(result);
    }

    @Test
    void refusesAnOutputFileNameThatEscapesAndWritesNothing() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder()
                .misbehave(Misbehaviour.UNSAFE_FILENAME)
                .start());
        Path target = clips().resolve("deep/fox.mp4");

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.renderVideo(resource("text2video.json"), aFoxClip(), target, TIMEOUT, PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.UNSAFE_OUTPUT);
        assertThat(e).hasMessageContaining("../../escape.mp4");
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void abortsAnEndlessDownloadAtTheByteLimit() throws Exception {
        fake = FakeComfyUiServer.builder().start();
        client = ComfyUiClient.builder(fake.baseUri())
                .maxDownloadBytes(1024 * 1024)
                .build();
        PromptResult result = client.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE);
        fake.misbehave(Misbehaviour.ENDLESS_VIEW);

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> client.download(result.video().orElseThrow(), clips().resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(clips()).isEmptyDirectory();
        assertThat(fake.viewBytesSent()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void reportsADroppedDownloadAsRetryableAndKeepsNoPartialFile() throws Exception {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());
        PromptResult result = comfy.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE);
        fake.misbehave(Misbehaviour.DISCONNECT_VIEW);

        var e = catchThrowableOfType(
                ComfyUiException.class, () -> comfy.download(result.video().orElseThrow(), clips().resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.DISCONNECTED);
        assertThat(e.retryable()).isTrue();
        assertThat(clips()).isEmptyDirectory();
    }

    @Test
    void reportsAMissingOutputFileAsNotFound() {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> comfy.download(
                        new OutputFile("9", "gifs", "gone.mp4", "", "output", "video/h264-mp4"),
                        clips().resolve("gone.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.route()).isEqualTo("GET /view");
    }

    @Test
    void reportsAnUnreachableServerAsRetryableConnectFailure() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        client = ComfyUiClient.builder(URI.create("http://127.0.0.1:" + port)).build();

        var e = catchThrowableOfType(
                ComfyUiException.class,
                () -> client.run(resource("text2video.json"), aFoxClip(), TIMEOUT, PromptListener.NONE));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        ComfyUiClient comfy = clientOf(FakeComfyUiServer.builder().start());

        comfy.close();
        comfy.close();

        var e = catchThrowableOfType(ComfyUiException.class, () -> comfy.history("x"));
        assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
    }
}
