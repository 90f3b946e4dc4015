package tv.latent.backend.a1111;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tv.latent.backend.a1111.A1111Exception.Kind;
import tv.latent.backend.a1111.FakeA1111Server.Misbehaviour;
import tv.latent.testing.TestMedia;
import tv.latent.testing.TestMedia.VideoInfo;

class A1111ClientTest {

    @TempDir
    Path dir;

    private FakeA1111Server fake;
    private A1111Client client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private A1111Client clientOf(FakeA1111Server server) {
        fake = server;
        client = A1111Client.builder(server.baseUri())
                .renderTimeout(Duration.ofSeconds(20))
                .build();
        return client;
    }

    private static T2vRequest aSmallRender() {
        return T2vRequest.builder("a red fox staring into the camera, golden hour")
                .size(128, 64)
                .frames(8)
                .fps(8)
                .steps(20)
                .build();
    }

    @Test
    void readsTheApiVersion() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());

        assertThat(a1111.apiVersion()).isEqualTo("1.0");
        assertThat(a1111.checkApiVersion()).isEqualTo("1.0");
    }

    @Test
    void refusesAServerOfAnotherApiVersion() {
        A1111Client a1111 =
                clientOf(FakeA1111Server.builder().apiVersion("0.1b").start());

        var e = catchThrowableOfType(A1111Exception.class, a1111::checkApiVersion);

        assertThat(e.kind()).isEqualTo(Kind.INCOMPATIBLE);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessageContaining("0.1b");
    }

    @Test
    void sendsEveryScalarAsQueryParameter() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());
        T2vRequest request = T2vRequest.builder("a llama & a fox = \"friends\"")
                .negativePrompt("blurry, text")
                .model("zeroscope_v2_576w")
                .sampler(Sampler.UNI_PC)
                .size(576, 320)
                .frames(12)
                .steps(40)
                .cfgScale(12)
                .seed(4242)
                .eta(0.25)
                .fps(8)
                .build();

        a1111.render(request, dir.resolve("llama.mp4"));

        FakeA1111Server.RecordedRun run = fake.lastRun();
        assertThat(run.method()).isEqualTo("POST");
        assertThat(run.param("prompt")).isEqualTo("a llama & a fox = \"friends\"");
        assertThat(run.param("n_prompt")).isEqualTo("blurry, text");
        assertThat(run.param("model")).isEqualTo("zeroscope_v2_576w");
        assertThat(run.param("sampler")).isEqualTo("UniPC");
        assertThat(run.param("width")).isEqualTo("576");
        assertThat(run.param("height")).isEqualTo("320");
        assertThat(run.param("frames")).isEqualTo("12");
        assertThat(run.param("steps")).isEqualTo("40");
        assertThat(run.param("cfg_scale")).isEqualTo("12");
        assertThat(run.param("seed")).isEqualTo("4242");
        assertThat(run.param("eta")).isEqualTo("0.25");
        assertThat(run.param("fps")).isEqualTo("8");
        assertThat(run.param("batch_count")).isEqualTo("1");
        assertThat(run.param("do_vid2vid")).isEqualTo("false");
        assertThat(run.param("add_soundtrack")).isEqualTo("None");
        assertThat(run.parts()).isEmpty();
    }

    @Test
    void writesTheDecodedVideoToTheTargetAndLeavesNoTemporaryFile() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());
        Path target = dir.resolve("clips/fox.mp4");

        T2vResult result = a1111.render(aSmallRender(), target);

        assertThat(result.video()).isEqualTo(target.toAbsolutePath());
        assertThat(Files.readAllBytes(target)).isEqualTo(TestMedia.mp4(128, 64, 8, 8));
        assertThat(result.bytes()).isEqualTo(Files.size(target));
        assertThat(TestMedia.shape(target)).isEqualTo(new VideoInfo(128, 64, 8));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writesOneFilePerBatchCountNextToTheTarget() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());

        T2vResult result = a1111.render(aSmallRender().toBuilder().batchCount(3).build(), dir.resolve("fox.mp4"));

        assertThat(result.videos())
                .containsExactly(dir.resolve("fox.mp4"), dir.resolve("fox-2.mp4"), dir.resolve("fox-3.mp4"));
        assertThat(fake.lastRun().param("batch_count")).isEqualTo("3");
    }

    @Test
    void sendsTheInputVideoAsMultipartPartForVid2VidUpscale() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());
        Path input = dir.resolve("small fox.mp4");
        Files.write(input, TestMedia.mp4(128, 64, 8, 8));
        T2vRequest upscale = T2vRequest.builder("a red fox staring into the camera, golden hour")
                .model("zeroscope_v2_XL")
                .size(256, 128)
                .frames(8)
                .fps(8)
                .vid2vid(new T2vRequest.Vid2Vid(input, 0.6, 2))
                .build();

        T2vResult result = a1111.render(upscale, dir.resolve("fox-xl.mp4"));

        FakeA1111Server.RecordedRun run = fake.lastRun();
        assertThat(run.contentType())
                .hasValueSatisfying(type -> assertThat(type).startsWith("multipart/form-data"));
        assertThat(run.param("do_vid2vid")).isEqualTo("true");
        assertThat(run.param("strength")).isEqualTo("0.6");
        assertThat(run.param("vid2vid_startFrame")).isEqualTo("2");
        FakeA1111Server.Part part = run.parts().get("vid2vid_input");
        assertThat(part.filename()).isEqualTo("small_fox.mp4");
        assertThat(part.contentType()).isEqualTo("video/mp4");
        assertThat(part.content()).isEqualTo(Files.readAllBytes(input));
        assertThat(TestMedia.shape(result.video())).isEqualTo(new VideoInfo(256, 128, 8));
    }

    @Test
    void sendsBasicCredentialsWhenConfigured() throws Exception {
        fake = FakeA1111Server.builder().basicAuth("tv", "s3cret").start();
        client = A1111Client.builder(fake.baseUri()).basicAuth("tv", "s3cret").build();

        client.render(aSmallRender(), dir.resolve("fox.mp4"));

        assertThat(fake.lastRun().authorization()).hasValue("Basic dHY6czNjcmV0");
    }

    @Test
    void reportsRefusedCredentialsAsNotRetryable() {
        A1111Client a1111 =
                clientOf(FakeA1111Server.builder().basicAuth("tv", "s3cret").start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void reportsServerErrorAsRetryableWithTheDetail() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder()
                .misbehave(Misbehaviour.SERVER_ERROR)
                .errorDetail("CUDA out of memory")
                .start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.detail()).isEqualTo("CUDA out of memory");
        assertThat(e.route()).isEqualTo("POST /t2v/run");
        assertThat(e.server()).isEqualTo(fake.baseUri());
        assertThat(e).hasMessageContaining("POST /t2v/run").hasMessageContaining("CUDA out of memory");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void reportsValidationErrorAsNotRetryable() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder()
                .misbehave(Misbehaviour.VALIDATION_ERROR)
                .start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.retryable()).isFalse();
        assertThat(e.detail()).contains("value is not a valid integer");
    }

    @ParameterizedTest
    @EnumSource(
            value = Misbehaviour.class,
            names = {"MALFORMED_JSON", "WRONG_CONTENT_TYPE", "MISSING_MP4S", "NOT_A_DATA_URL"})
    void reportsAnswersThatBreakTheProtocolAsMalformed(Misbehaviour misbehaviour) {
        A1111Client a1111 =
                clientOf(FakeA1111Server.builder().misbehave(misbehaviour).start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void explainsWhatIsWrongWithAMalformedAnswer() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());

        fake.misbehave(Misbehaviour.WRONG_CONTENT_TYPE);
        assertThatThrownBy(() -> a1111.render(aSmallRender(), dir.resolve("a.mp4")))
                .hasMessageContaining("content type \"text/html");
        fake.misbehave(Misbehaviour.MISSING_MP4S);
        assertThatThrownBy(() -> a1111.render(aSmallRender(), dir.resolve("a.mp4")))
                .hasMessageContaining("no \"mp4s\" field");
        fake.misbehave(Misbehaviour.NOT_A_DATA_URL);
        assertThatThrownBy(() -> a1111.render(aSmallRender(), dir.resolve("a.mp4")))
                .hasMessageContaining("not a base64 data URL");
    }

    @Test
    void timesOutOnASlowAnswerAndSaysItIsRetryable() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder()
                .misbehave(Misbehaviour.SLOW)
                .delay(Duration.ofSeconds(10))
                .start());

        var e = catchThrowableOfType(
                A1111Exception.class,
                () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4"), Duration.ofMillis(300)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void reportsADisconnectMidAnswerAsRetryable() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder()
                .misbehave(Misbehaviour.DISCONNECT_MID_BODY)
                .start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isIn(Kind.DISCONNECTED, Kind.MALFORMED_RESPONSE);
        assertThat(e.retryable()).isTrue();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void a429SaysHowLongTheServerAskedToBeLeftAlone() {
        A1111Client a1111 = clientOf(
                FakeA1111Server.builder().misbehave(Misbehaviour.RATE_LIMITED).start());

        var e = catchThrowableOfType(A1111Exception.class, () -> a1111.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.BUSY);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aCompressionBombStopsAtTheLimitOfTheDecodedAnswer() {
        fake = FakeA1111Server.builder().misbehave(Misbehaviour.GZIP_BOMB).start();
        client = A1111Client.builder(fake.baseUri())
                .maxVideoBytes(2 * 1024 * 1024)
                .build();

        var e = catchThrowableOfType(A1111Exception.class, () -> client.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.retryable()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void abortsAnEndlessAnswerAtTheByteLimit() {
        fake = FakeA1111Server.builder().misbehave(Misbehaviour.ENDLESS_BODY).start();
        client = A1111Client.builder(fake.baseUri())
                .maxVideoBytes(2 * 1024 * 1024)
                .build();

        var e = catchThrowableOfType(A1111Exception.class, () -> client.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(e.retryable()).isFalse();
        assertThat(dir).isEmptyDirectory();
        // The server may have buffered some more, but it stops soon after the client hangs up.
        assertThat(fake.bytesSent()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void returnsThePlaceholderVideoWhenNoCheckIsConfigured() throws Exception {
        A1111Client a1111 = clientOf(FakeA1111Server.builder()
                .misbehave(Misbehaviour.PLACEHOLDER_VIDEO)
                .start());

        T2vResult result = a1111.render(aSmallRender(), dir.resolve("fox.mp4"));

        // The trap: 200 and a valid video, just not the one asked for. Probing is the caller's job.
        assertThat(TestMedia.shape(result.video())).isEqualTo(new VideoInfo(64, 64, 8));
    }

    @Test
    void rejectsThePlaceholderVideoThroughTheVideoCheck() {
        fake = FakeA1111Server.builder()
                .misbehave(Misbehaviour.PLACEHOLDER_VIDEO)
                .start();
        client = A1111Client.builder(fake.baseUri())
                .videoCheck(A1111ClientTest::probeCheck)
                .build();

        var e = catchThrowableOfType(A1111Exception.class, () -> client.render(aSmallRender(), dir.resolve("fox.mp4")));

        assertThat(e.kind()).isEqualTo(Kind.PLACEHOLDER_VIDEO);
        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessageContaining("64x64");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void acceptsTheRightVideoThroughTheVideoCheck() throws Exception {
        fake = FakeA1111Server.builder().start();
        client = A1111Client.builder(fake.baseUri())
                .videoCheck(A1111ClientTest::probeCheck)
                .build();

        assertThat(client.render(aSmallRender(), dir.resolve("fox.mp4")).video())
                .exists();
    }

    private static Optional<String> probeCheck(Path video, T2vRequest request) throws IOException {
        VideoInfo info = TestMedia.shape(video);
        boolean right = info.width() == request.width()
                && info.height() == request.height()
                && info.frames() == request.frames();
        return right
                ? Optional.empty()
                : Optional.of("got " + info.width() + "x" + info.height() + " with " + info.frames() + " frames");
    }

    @Test
    void reportsAnUnreachableServerAsRetryableConnectFailure() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        client = A1111Client.builder(URI.create("http://127.0.0.1:" + port)).build();

        var e = catchThrowableOfType(A1111Exception.class, client::apiVersion);

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.route()).isEqualTo("GET /t2v/api_version");
    }

    @Test
    void refusesAnInputVideoThatDoesNotExist() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());
        T2vRequest request = aSmallRender().toBuilder()
                .vid2vid(dir.resolve("missing.mp4"), 0.5)
                .build();

        assertThatThrownBy(() -> a1111.render(request, dir.resolve("out.mp4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.mp4");
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        A1111Client a1111 = clientOf(FakeA1111Server.builder().start());

        a1111.close();
        a1111.close();

        var e = catchThrowableOfType(A1111Exception.class, a1111::apiVersion);
        assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
    }
}
