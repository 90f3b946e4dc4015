package tv.latent.backend.a1111;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import tv.latent.backend.testing.FakeBodies;
import tv.latent.testing.TestMedia;

/**
 * A stand-in for AUTOMATIC1111 with sd-webui-text2video, speaking its real protocol on
 * 127.0.0.1 and an ephemeral port: {@code GET /t2v/api_version} and {@code POST /t2v/run}
 * (scalars as query parameters, files as multipart parts, answer {@code {"mp4s": [data URL]}}).
 * By default it renders, with ffmpeg, a real test-pattern mp4 of the requested width, height,
 * frames and fps, one per batch count. On demand it misbehaves like real servers do.
 *
 * <pre>{@code
 * try (FakeA1111Server fake = FakeA1111Server.builder().start();
 *     A1111Client client = A1111Client.builder(fake.baseUri()).build()) {
 *   client.render(T2vRequest.of("a fox"), dir.resolve("fox.mp4"));
 *   assertThat(fake.lastRun().param("prompt")).isEqualTo("a fox");
 *   fake.misbehave(FakeA1111Server.Misbehaviour.SERVER_ERROR);
 * }
 * }</pre>
 *
 * <p>Thread-safe: configuration can change while requests are served.
 */
public final class FakeA1111Server implements AutoCloseable {

    /** How the fake answers {@code /t2v/run}. */
    public enum Misbehaviour {
        /** Renders the requested video. */
        NONE,
        /** Waits {@link Builder#delay} before answering normally. */
        SLOW,
        /** Sends half of a correct answer, then drops the connection. */
        DISCONNECT_MID_BODY,
        /** 500 {@code {"detail": ...}}, as the extension does when an exception escapes. */
        SERVER_ERROR,
        /** 422 with FastAPI's validation detail list. */
        VALIDATION_ERROR,
        /** 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** 200 with an HTML page. */
        WRONG_CONTENT_TYPE,
        /** 200 JSON without the {@code mp4s} field (the 0.1b API's {@code mp4} shape). */
        MISSING_MP4S,
        /** 200 whose {@code mp4s} holds a server-side path instead of a data URL. */
        NOT_A_DATA_URL,
        /** 200 with a data URL that never ends. */
        ENDLESS_BODY,
        /** 200 with a valid but wrong video (64x64, 8 frames): the extension's error video trap. */
        PLACEHOLDER_VIDEO,
        /** 429 with {@code Retry-After: 7}, as a rate-limiting proxy in front of A1111 answers. */
        RATE_LIMITED,
        /** 200 with a gzip body of a few hundred kilobytes that inflates to a 16 MB data URL. */
        GZIP_BOMB
    }

    /** One multipart part the fake received. */
    public record Part(String name, String filename, String contentType, byte[] content) {}

    /** One {@code /t2v/run} call as received. */
    public record RecordedRun(
            String method,
            Map<String, List<String>> query,
            Map<String, Part> parts,
            Optional<String> authorization,
            Optional<String> contentType) {

        /** The single value of query parameter {@code name}, or null when absent. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** The extension's own 500 detail. */
    public static final String DEFAULT_ERROR_DETAIL = "An error occurred while processing the video.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final List<RecordedRun> runs = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong bytesSent = new AtomicLong();
    private final String apiVersion;
    private final String expectedAuthorization;
    private final Duration delay;
    private final byte[] fixedVideo;
    private final String errorDetail;
    private volatile Misbehaviour misbehaviour;

    private FakeA1111Server(Builder b) {
        apiVersion = b.apiVersion;
        expectedAuthorization = b.user == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString((b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8));
        delay = b.delay;
        fixedVideo = b.fixedVideo;
        errorDetail = b.errorDetail;
        misbehaviour = b.misbehaviour;
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.multipartConfig.maxFileSize(200, SizeUnit.MB);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.routes.get("/t2v/api_version", this::version);
            config.routes.post("/t2v/run", this::run);
        });
        app.start("127.0.0.1", 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base address to give the client, {@code http://127.0.0.1:port}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Changes how later {@code /t2v/run} calls are answered. */
    public void misbehave(Misbehaviour value) {
        misbehaviour = Objects.requireNonNull(value);
    }

    /** Every {@code /t2v/run} call received, oldest first. */
    public List<RecordedRun> runs() {
        return List.copyOf(runs);
    }

    /** The latest {@code /t2v/run} call; fails when there was none. */
    public RecordedRun lastRun() {
        if (runs.isEmpty()) {
            throw new IllegalStateException("no /t2v/run call received");
        }
        return runs.getLast();
    }

    /** Bytes of answer bodies the fake wrote (shows an endless answer was cut off). */
    public long bytesSent() {
        return bytesSent.get();
    }

    private void version(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        ctx.contentType("application/json").result("{\"version\":\"" + apiVersion + "\"}");
    }

    private void run(Context ctx) throws IOException {
        var parts = new LinkedHashMap<String, Part>();
        for (Map.Entry<String, List<UploadedFile>> entry : ctx.uploadedFileMap().entrySet()) {
            UploadedFile file = entry.getValue().getFirst();
            parts.put(
                    entry.getKey(),
                    new Part(entry.getKey(), file.filename(), file.contentType(), file.contentAndClose(in -> {
                        try {
                            return in.readAllBytes();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })));
        }
        runs.add(new RecordedRun(
                ctx.method().name(),
                Map.copyOf(ctx.queryParamMap()),
                Map.copyOf(parts),
                Optional.ofNullable(ctx.header("Authorization")),
                Optional.ofNullable(ctx.contentType())));
        if (!authorized(ctx)) {
            return;
        }
        if (ctx.queryParam("prompt") == null) {
            answer(
                    ctx,
                    422,
                    "application/json",
                    "{\"detail\":[{\"loc\":[\"query\",\"prompt\"],"
                            + "\"msg\":\"field required\",\"type\":\"value_error.missing\"}],\"body\":null}");
            return;
        }
        switch (misbehaviour) {
            case NONE -> answer(ctx, 200, "application/json", mp4s(ctx));
            case SLOW -> {
                FakeBodies.pause(stopping, delay);
                answer(ctx, 200, "application/json", mp4s(ctx));
            }
            case DISCONNECT_MID_BODY ->
                FakeBodies.disconnectMidBody(
                        ctx, "application/json", mp4s(ctx).getBytes(StandardCharsets.UTF_8), bytesSent, "fake A1111");
            case SERVER_ERROR ->
                answer(ctx, 500, "application/json", JSON.writeValueAsString(Map.of("detail", errorDetail)));
            case VALIDATION_ERROR ->
                answer(
                        ctx,
                        422,
                        "application/json",
                        "{\"detail\":[{\"loc\":"
                                + "[\"query\",\"steps\"],\"msg\":\"value is not a valid integer\","
                                + "\"type\":\"type_error.integer\"}],\"body\":null}");
            case MALFORMED_JSON ->
                answer(ctx, 200, "application/json", "{\"mp4s\": [\"data:video/mp4;base64,AAAA\"], oops");
            case WRONG_CONTENT_TYPE -> answer(ctx, 200, "text/html", "<html><body>Internal Server Error</body></html>");
            case MISSING_MP4S -> answer(ctx, 200, "application/json", "{\"mp4\": \"data:video/mp4;base64,AAAA\"}");
            case NOT_A_DATA_URL ->
                answer(ctx, 200, "application/json", "{\"mp4s\": [\"outputs/text2video/20240101/vid.mp4\"]}");
            case ENDLESS_BODY ->
                FakeBodies.endless(
                        ctx,
                        "application/json",
                        "{\"mp4s\": [\"data:video/mp4;base64,".getBytes(StandardCharsets.US_ASCII),
                        "AAAA".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII),
                        stopping,
                        bytesSent);
            case RATE_LIMITED -> {
                ctx.header("Retry-After", "7");
                answer(ctx, 429, "application/json", "{\"detail\": \"Too many requests\"}");
            }
            case GZIP_BOMB -> gzipBomb(ctx);
            case PLACEHOLDER_VIDEO ->
                answer(
                        ctx,
                        200,
                        "application/json",
                        JSON.writeValueAsString(Map.of("mp4s", List.of(dataUrl(TestMedia.mp4(64, 64, 8, 8))))));
        }
    }

    private void gzipBomb(Context ctx) throws IOException {
        var compressed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write("{\"mp4s\": [\"data:video/mp4;base64,".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "AAAA".repeat(1 << 18).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 16; i++) {
                gzip.write(chunk);
            }
            gzip.write("\"]}".getBytes(StandardCharsets.US_ASCII));
        }
        ctx.status(200).contentType("application/json").header("Content-Encoding", "gzip");
        ctx.res().setContentLength(compressed.size());
        ctx.res().getOutputStream().write(compressed.toByteArray());
        bytesSent.addAndGet(compressed.size());
    }

    private String mp4s(Context ctx) throws IOException {
        int width = intParam(ctx, "width", 256);
        int height = intParam(ctx, "height", 256);
        int frames = intParam(ctx, "frames", 24);
        int fps = intParam(ctx, "fps", 15);
        int batch = intParam(ctx, "batch_count", 1);
        var urls = new ArrayList<String>();
        for (int i = 0; i < batch; i++) {
            urls.add(dataUrl(fixedVideo != null ? fixedVideo : TestMedia.mp4(width, height, frames, fps)));
        }
        return JSON.writeValueAsString(Map.of("mp4s", urls));
    }

    private static String dataUrl(byte[] video) {
        return "data:video/mp4;base64," + Base64.getEncoder().encodeToString(video);
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private boolean authorized(Context ctx) {
        if (expectedAuthorization == null || expectedAuthorization.equals(ctx.header("Authorization"))) {
            return true;
        }
        ctx.header("WWW-Authenticate", "Basic");
        answer(ctx, 401, "application/json", "{\"detail\":\"Incorrect username or password\"}");
        return false;
    }

    private void answer(Context ctx, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        bytesSent.addAndGet(bytes.length);
        ctx.status(status).contentType(contentType).result(bytes);
    }

    /** Stops the server; slow answers in progress end at once. Idempotent. */
    @Override
    public void close() {
        if (stopping.getCount() > 0) {
            stopping.countDown();
            app.stop();
        }
    }

    /** Configures a {@link FakeA1111Server}. Not thread-safe. */
    public static final class Builder {
        private String apiVersion = "1.0";
        private String user;
        private String password;
        private Duration delay = Duration.ofSeconds(5);
        private byte[] fixedVideo;
        private String errorDetail = DEFAULT_ERROR_DETAIL;
        private Misbehaviour misbehaviour = Misbehaviour.NONE;

        private Builder() {}

        /** What {@code /t2v/api_version} answers (default "1.0"). */
        public Builder apiVersion(String value) {
            apiVersion = value;
            return this;
        }

        /** Requires these HTTP basic credentials, like A1111's {@code --api-auth}. */
        public Builder basicAuth(String userName, String secret) {
            user = userName;
            password = secret;
            return this;
        }

        /** How long a SLOW answer waits (default 5 s). */
        public Builder delay(Duration value) {
            delay = value;
            return this;
        }

        /** Answers with this video instead of rendering the requested shape with ffmpeg. */
        public Builder video(byte[] mp4) {
            fixedVideo = mp4.clone();
            return this;
        }

        /** The detail of SERVER_ERROR answers. */
        public Builder errorDetail(String value) {
            errorDetail = value;
            return this;
        }

        public Builder misbehave(Misbehaviour value) {
            misbehaviour = value;
            return this;
        }

        public FakeA1111Server start() {
            return new FakeA1111Server(this);
        }
    }
}
