package tv.latent.backend.a1111;

import static tv.latent.backend.a1111.A1111Exception.Kind.DISCONNECTED;
import static tv.latent.backend.a1111.A1111Exception.Kind.INCOMPATIBLE;
import static tv.latent.backend.a1111.A1111Exception.Kind.LOCAL_IO;
import static tv.latent.backend.a1111.A1111Exception.Kind.MALFORMED_RESPONSE;
import static tv.latent.backend.a1111.A1111Exception.Kind.PLACEHOLDER_VIDEO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.ClientBuilder;
import tv.latent.backend.http.ClientOptions;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.HttpFailure;
import tv.latent.backend.http.HttpTransport;
import tv.latent.backend.http.HttpTransport.Guard;
import tv.latent.backend.http.LocalFiles;
import tv.latent.backend.http.Multipart;
import tv.latent.backend.http.RetryAfter;

/**
 * Client of the AUTOMATIC1111 web UI's text2video extension (kabachuha/sd-webui-text2video):
 * {@code GET /t2v/api_version} and {@code POST /t2v/run}. A1111 must run with {@code --api}
 * (and {@code --api-auth user:pass} if you set {@link Builder#basicAuth}).
 *
 * <pre>{@code
 * try (A1111Client a1111 = A1111Client.builder(URI.create("http://gpu-box:7860"))
 *     .renderTimeout(Duration.ofMinutes(10))
 *     .build()) {
 *   a1111.checkApiVersion();
 *   T2vRequest request = T2vRequest.builder("a brown bear catching a salmon, golden hour")
 *       .model("zeroscope_v2_576w").size(576, 320).frames(24).seed(7).build();
 *   Path clip = a1111.render(request, Path.of("clips/bear.mp4")).video();
 *   // 200 may carry the extension's placeholder error video: probe clip before trusting it.
 * }
 * }</pre>
 *
 * <p>Every scalar travels as a query parameter, files as multipart parts, as the extension
 * reads them. Videos are base64-decoded while they arrive into a temporary file next to the
 * target and moved into place atomically, so a failed call leaves no partial file.
 *
 * <p>Thread-safe: one client can serve concurrent calls (A1111 itself renders one at a time).
 */
public final class A1111Client implements AutoCloseable {

    /** The {@code /t2v/api_version} this client speaks (the POST /t2v/run API). */
    public static final String SUPPORTED_API_VERSION = "1.0";

    private static final Logger log = LoggerFactory.getLogger(A1111Client.class);
    private static final int MAX_SMALL_BODY = 64 * 1024;
    private static final String VERSION_ROUTE = "GET /t2v/api_version";
    private static final String RUN_ROUTE = "POST /t2v/run";

    private final URI server;
    private final String base;
    private final HttpTransport<A1111Exception> transport;
    private final Map<String, String> headers;
    private final Duration callTimeout;
    private final Duration renderTimeout;
    private final long maxVideoBytes;
    private final VideoCheck videoCheck;
    private final ObjectMapper json = new ObjectMapper();

    private A1111Client(Builder b) {
        server = b.baseUri();
        base = ClientOptions.withoutTrailingSlash(server);
        headers = b.headers();
        callTimeout = b.callTimeout();
        renderTimeout = b.renderTimeout;
        maxVideoBytes = b.maxVideoBytes;
        videoCheck = b.videoCheck;
        transport = new HttpTransport<>(
                "a1111-watchdog-" + server.getAuthority(),
                b.connectTimeout(),
                (failure, route, message, cause) ->
                        new A1111Exception(A1111Exception.Kind.of(failure), server, route, message, cause));
    }

    /** Starts configuring a client of the A1111 server at {@code baseUri}, e.g. :7860. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * The extension's API version ({@code "1.0"} for the POST /t2v/run API).
     *
     * @throws A1111Exception NOT_FOUND when the extension or {@code --api} is missing
     */
    public String apiVersion() throws A1111Exception {
        transport.ensureOpen(VERSION_ROUTE);
        Deadline deadline = Deadline.after(callTimeout);
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/t2v/api_version")))
                .timeout(callTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response = transport.send(request, VERSION_ROUTE);
        try (InputStream raw = response.body();
                Guard guard = transport.guard(raw, deadline);
                InputStream body = transport.decoded(response, VERSION_ROUTE)) {
            if (response.statusCode() != 200) {
                throw statusError(VERSION_ROUTE, response, body, guard);
            }
            requireJson(VERSION_ROUTE, response);
            JsonNode answer = readSmallJson(VERSION_ROUTE, body, guard);
            JsonNode version = answer.path("version");
            if (!version.isTextual()) {
                throw new A1111Exception(
                        MALFORMED_RESPONSE, server, VERSION_ROUTE, "the answer has no \"version\" string", null);
            }
            return version.asText();
        } catch (IOException e) {
            throw closeFailure(VERSION_ROUTE, e);
        }
    }

    /**
     * Fails unless the server speaks this client's API (version 1.x); returns the version.
     *
     * @throws A1111Exception INCOMPATIBLE for other versions (0.1b had a GET /t2v/run API)
     */
    public String checkApiVersion() throws A1111Exception {
        String version = apiVersion();
        if (!version.equals("1") && !version.startsWith("1.")) {
            throw new A1111Exception(
                    INCOMPATIBLE,
                    server,
                    VERSION_ROUTE,
                    "the server speaks API version " + version + ", this client speaks " + SUPPORTED_API_VERSION,
                    null);
        }
        return version;
    }

    /** Renders {@code request} into {@code target} within the configured render timeout. */
    public T2vResult render(T2vRequest request, Path target) throws A1111Exception {
        return render(request, target, renderTimeout);
    }

    /**
     * Renders {@code request} and writes the first video to {@code target}; with a batch count
     * above 1, video <i>n</i> goes next to it as {@code name-n.ext}. Either all videos are written
     * or none. The target's directory is created when missing.
     *
     * @param timeout for the whole call, from connecting to the last byte written
     * @throws A1111Exception typed by what went wrong; see {@link A1111Exception.Kind}
     * @throws IllegalArgumentException when an input file of the request does not exist
     */
    public T2vResult render(T2vRequest request, Path target, Duration timeout) throws A1111Exception {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(target, "target");
        ClientOptions.requirePositive(timeout, "timeout");
        transport.ensureOpen(RUN_ROUTE);
        long started = System.nanoTime();
        Deadline deadline = new Deadline(started + timeout.toNanos(), timeout);
        Path absolute = target.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new A1111Exception(LOCAL_IO, server, RUN_ROUTE, "cannot create " + directory, e);
        }

        HttpRequest httpRequest = runRequest(request, timeout);
        log.debug(
                "{} on {}: {} frames {}x{}, {} steps",
                RUN_ROUTE,
                server,
                request.frames(),
                request.width(),
                request.height(),
                request.steps());
        HttpResponse<InputStream> response = transport.send(httpRequest, RUN_ROUTE);
        var temporaries = new ArrayList<Path>();
        try (InputStream raw = response.body();
                Guard guard = transport.guard(raw, deadline);
                InputStream body = transport.decoded(response, RUN_ROUTE)) {
            if (response.statusCode() != 200) {
                throw statusError(RUN_ROUTE, response, body, guard);
            }
            requireJson(RUN_ROUTE, response);
            long maxBody = request.batchCount() * (maxVideoBytes / 3 * 4 + 4 + 512) + MAX_SMALL_BODY;
            var reader = new Mp4sBodyReader(new BufferedInputStream(body, 64 * 1024), maxVideoBytes, maxBody);
            List<Long> sizes;
            try {
                sizes = reader.read((index, mediaType) -> {
                    Path temporary = LocalFiles.temporaryNextTo(absolute);
                    temporaries.add(temporary);
                    return Files.newOutputStream(temporary);
                });
            } catch (BodyException e) {
                if (guard.fired()) {
                    throw transport.timeout(RUN_ROUTE, timeout, e);
                }
                throw new A1111Exception(e.kind(), server, RUN_ROUTE, e.getMessage(), e.getCause());
            }
            checkVideos(request, temporaries);
            List<Path> videos = moveIntoPlace(temporaries, absolute);
            temporaries.clear();
            long bytes = sizes.stream().mapToLong(Long::longValue).sum();
            var elapsed = Duration.ofNanos(System.nanoTime() - started);
            log.debug("{} on {}: {} video(s), {} bytes in {}", RUN_ROUTE, server, videos.size(), bytes, elapsed);
            return new T2vResult(videos, bytes, elapsed);
        } catch (IOException e) {
            throw closeFailure(RUN_ROUTE, e);
        } finally {
            temporaries.forEach(LocalFiles::deleteQuietly);
        }
    }

    private HttpRequest runRequest(T2vRequest request, Duration timeout) throws A1111Exception {
        URI uri = URI.create(base + "/t2v/run?" + request.encodedQuery());
        HttpRequest.Builder builder =
                authorized(HttpRequest.newBuilder(uri)).timeout(timeout).header("Accept", "application/json");
        if (request.vid2vid() == null && request.inpainting() == null) {
            return builder.POST(HttpRequest.BodyPublishers.noBody()).build();
        }
        var multipart = new Multipart();
        try {
            if (request.vid2vid() != null) {
                multipart.file("vid2vid_input", requireFile(request.vid2vid().input(), "vid2vid input"), "video/mp4");
            }
            if (request.inpainting() != null) {
                Path image = requireFile(request.inpainting().image(), "inpainting image");
                multipart.file("inpainting_image", image, imageType(image));
            }
        } catch (IOException e) {
            throw new A1111Exception(LOCAL_IO, server, RUN_ROUTE, "cannot read an input file: " + e, e);
        }
        return builder.header("Content-Type", multipart.contentType())
                .POST(multipart.publisher())
                .build();
    }

    private void checkVideos(T2vRequest request, List<Path> videos) throws A1111Exception {
        for (Path video : videos) {
            Optional<String> problem;
            try {
                problem = videoCheck.problem(video, request);
            } catch (IOException e) {
                throw new A1111Exception(LOCAL_IO, server, RUN_ROUTE, "the video check failed: " + e, e);
            }
            if (problem.isPresent()) {
                log.warn("{} on {} answered 200 with a placeholder video: {}", RUN_ROUTE, server, problem.get());
                throw new A1111Exception(
                        PLACEHOLDER_VIDEO,
                        server,
                        RUN_ROUTE,
                        "the server answered 200 but the video is not the one asked for: " + problem.get(),
                        null);
            }
        }
    }

    private List<Path> moveIntoPlace(List<Path> temporaries, Path target) throws A1111Exception {
        var moved = new ArrayList<Path>();
        try {
            for (int i = 0; i < temporaries.size(); i++) {
                Path destination = i == 0 ? target : sibling(target, i + 1);
                LocalFiles.moveReplacing(temporaries.get(i), destination);
                moved.add(destination);
            }
            return moved;
        } catch (IOException e) {
            moved.forEach(LocalFiles::deleteQuietly);
            throw new A1111Exception(LOCAL_IO, server, RUN_ROUTE, "cannot move the video into place", e);
        }
    }

    static Path sibling(Path target, int number) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String sibling = dot > 0 ? name.substring(0, dot) + "-" + number + name.substring(dot) : name + "-" + number;
        return target.resolveSibling(sibling);
    }

    private A1111Exception statusError(String route, HttpResponse<?> response, InputStream body, Guard guard) {
        int status = response.statusCode();
        String detail = null;
        try {
            byte[] bytes = body.readNBytes(MAX_SMALL_BODY);
            JsonNode answer = json.readTree(bytes);
            JsonNode node = answer == null ? null : answer.get("detail");
            if (node != null) {
                detail = node.isTextual() ? node.asText() : node.toString();
            }
        } catch (IOException e) {
            log.debug("{} on {}: unreadable error body", route, server, e);
        }
        A1111Exception.Kind kind = A1111Exception.Kind.of(HttpFailure.ofStatus(status));
        String message =
                switch (kind) {
                    case UNAUTHORIZED -> "the server refused the credentials (check --api-auth)";
                    case NOT_FOUND -> "no such route: is sd-webui-text2video installed and A1111 run with --api?";
                    case SERVER_ERROR -> "the server failed";
                    default -> "unexpected status";
                };
        if (guard.fired()) {
            message += " (answer cut short by the timeout)";
        }
        Duration retryAfter = RetryAfter.of(status, response.headers(), InstantSource.system())
                .orElse(null);
        return new A1111Exception(kind, server, route, status, detail, message, null, retryAfter);
    }

    private void requireJson(String route, HttpResponse<?> response) throws A1111Exception {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String bare = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!bare.equals("application/json") && !bare.endsWith("+json")) {
            throw new A1111Exception(
                    MALFORMED_RESPONSE,
                    server,
                    route,
                    response.statusCode(),
                    null,
                    "the answer has content type \"" + type + "\", expected application/json",
                    null);
        }
    }

    private JsonNode readSmallJson(String route, InputStream body, Guard guard) throws A1111Exception {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_SMALL_BODY + 1);
        } catch (IOException e) {
            if (guard.fired()) {
                throw transport.timeout(route, callTimeout, e);
            }
            throw new A1111Exception(DISCONNECTED, server, route, "the connection dropped: " + e, e);
        }
        if (bytes.length > MAX_SMALL_BODY) {
            throw new A1111Exception(
                    A1111Exception.Kind.TOO_LARGE,
                    server,
                    route,
                    "the answer is larger than " + MAX_SMALL_BODY + " bytes",
                    null);
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            if (guard.fired()) {
                throw transport.timeout(route, callTimeout, e);
            }
            throw new A1111Exception(
                    MALFORMED_RESPONSE, server, route, "the answer is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new A1111Exception(MALFORMED_RESPONSE, server, route, "the answer is not a JSON object", null);
        }
        return node;
    }

    /** Maps an exception thrown while closing the body (or a typed one passing through). */
    private A1111Exception closeFailure(String route, IOException e) {
        if (e instanceof A1111Exception typed) {
            return typed;
        }
        return new A1111Exception(DISCONNECTED, server, route, "the connection failed: " + e, e);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        headers.forEach(builder::header);
        return builder;
    }

    private static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " is not a readable file: " + file);
        }
        return file;
    }

    private static String imageType(Path image) {
        String name = image.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return name.endsWith(".webp") ? "image/webp" : "image/png";
    }

    /**
     * Aborts calls in flight (they fail with CANCELLED or DISCONNECTED) and releases the
     * connections and the watchdog thread. Idempotent.
     */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * Configures an {@link A1111Client}; {@link ClientBuilder} has the settings every client
     * shares. Not thread-safe.
     */
    public static final class Builder extends ClientBuilder<Builder> {
        private Duration renderTimeout = Duration.ofMinutes(30);
        private long maxVideoBytes = 512L * 1024 * 1024;
        private VideoCheck videoCheck = VideoCheck.NONE;

        private Builder(URI baseUri) {
            super(baseUri);
        }

        /** Default time allowed for a whole render, queueing included (default 30 min). */
        public Builder renderTimeout(Duration value) {
            ClientOptions.requirePositive(value, "render timeout");
            renderTimeout = value;
            return this;
        }

        /** Largest decoded video accepted; larger answers fail with TOO_LARGE (default 512 MiB). */
        public Builder maxVideoBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("max video bytes must be positive, was " + value);
            }
            maxVideoBytes = value;
            return this;
        }

        /** Judges each returned video before it is moved into place (default: accept all). */
        public Builder videoCheck(VideoCheck value) {
            videoCheck = Objects.requireNonNull(value, "videoCheck");
            return this;
        }

        public A1111Client build() {
            return new A1111Client(this);
        }
    }
}
