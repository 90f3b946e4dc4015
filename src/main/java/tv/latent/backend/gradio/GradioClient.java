package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.DownloadPolicy;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.Multipart;

/**
 * A client for one Gradio app: a Hugging Face Space ({@code owner/name}) or any Gradio server URL,
 * Gradio 3.x to 6.x.
 *
 * <p>{@link Builder#connect()} resolves the Space, wakes it if it sleeps, logs in if the app asks
 * and reads its config. Calls then pick the transport the app speaks (queue protocol, 4.0 "sse",
 * or {@code /run} for 3.x), report progress, honour a per-call timeout and cancel on the server
 * when they give up.
 *
 * <pre>{@code
 * try (GradioClient zeroscope = GradioClient.builder("hysts/zeroscope-v2")
 *     .token(System.getenv("HF_TOKEN"))
 *     .connect()) {
 *   zeroscope.apiInfo().requireParameters("/run",
 *       List.of("prompt", "seed", "num_frames", "num_inference_steps"));
 *   GradioResult result = zeroscope.call(Endpoint.named("/run"),
 *       List.of("a lighthouse at dusk", 42, 24, 25),
 *       CallOptions.timeout(Duration.ofMinutes(10)));
 *   zeroscope.download(result.video(0).video(), Path.of("work/shot-1.mp4"));
 * }
 * }</pre>
 *
 * <p>Thread-safety: a client is safe for concurrent calls from many threads; each call has its
 * own session. Close it once done: closing aborts calls in flight. {@link #close()} is idempotent.
 */
public final class GradioClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GradioClient.class);

    private final GradioHttp http;
    private final URI root;
    private final String spaceId;
    private final GradioConfig config;
    private final Calls calls;
    private final Transfers transfers;
    private final Builder settings;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ApiInfo apiInfo;

    private GradioClient(GradioHttp http, URI root, String spaceId, GradioConfig config, Builder settings) {
        this.http = http;
        this.root = root;
        this.spaceId = spaceId;
        this.config = config;
        this.settings = settings;
        this.calls = new Calls(http, root, config, settings.maxEventBytes);
        this.transfers = new Transfers(http, root, config, DownloadPolicy.of(root, settings.allowDownloadsFrom));
    }

    /**
     * Starts configuring a client.
     *
     * @param spaceOrUrl a Space id {@code owner/name}, or the app's {@code http(s)://} root URL
     */
    public static Builder builder(String spaceOrUrl) {
        return new Builder(spaceOrUrl);
    }

    /** The app's root URL (the Space's host). */
    public URI root() {
        return root;
    }

    /** What the app's {@code /config} said at connect time. */
    public GradioConfig config() {
        return config;
    }

    /** The app's API description, fetched from {@code {prefix}/info} on first use, then kept. */
    public ApiInfo apiInfo() throws GradioException {
        ensureOpen();
        ApiInfo info = apiInfo;
        if (info == null) {
            URI uri = URI.create(root + config.apiPrefix() + "/info");
            String label = "GET " + uri;
            info = ApiInfo.parse(http.json(
                    http.send("GET", uri, null, null, Deadline.after(settings.requestTimeout), label), label));
            apiInfo = info;
        }
        return info;
    }

    /** Calls an endpoint by api name with the default timeout. */
    public GradioResult predict(String apiName, Object... inputs) throws GradioException {
        return call(Endpoint.named(apiName), Arrays.asList(inputs), CallOptions.timeout(settings.callTimeout));
    }

    /** Calls an endpoint with the default timeout. */
    public GradioResult call(Endpoint endpoint, List<?> inputs) throws GradioException {
        return call(endpoint, inputs, CallOptions.timeout(settings.callTimeout));
    }

    /**
     * Calls an endpoint and waits for its final outputs.
     *
     * @param inputs the values in parameter order: strings, numbers, booleans, null, maps, lists or
     *     Jackson nodes (use {@link #fileInput} and {@link #videoInput} for files)
     * @throws GradioTimeoutException after {@code options.timeout()}; the event is cancelled first
     * @throws GradioCancelledException when the calling thread is interrupted (flag restored)
     */
    public GradioResult call(Endpoint endpoint, List<?> inputs, CallOptions options) throws GradioException {
        ensureOpen();
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        return calls.run(endpoint, new ArrayList<>(inputs), options);
    }

    /** Uploads one local file; pass the result to {@link #fileInput} or {@link #videoInput}. */
    public FileData upload(Path file) throws GradioException {
        return upload(List.of(file)).get(0);
    }

    /** Uploads local files in one request ({@code {prefix}/upload}), in order. */
    public List<FileData> upload(List<Path> files) throws GradioException {
        ensureOpen();
        List<String> paths = transfers.upload(files, Deadline.after(settings.transferTimeout));
        List<FileData> result = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            result.add(FileData.of(paths.get(i), Multipart.safeFileName(files.get(i))));
        }
        return result;
    }

    /** The value to pass for a file parameter, in the form this app's version expects. */
    public JsonNode fileInput(FileData file) {
        return config.protocol() == Protocol.WS ? file.toLegacyInput() : file.toInput();
    }

    /** The value to pass for a Video parameter, in the form this app's version expects. */
    public JsonNode videoInput(FileData file) {
        return config.protocol() == Protocol.WS ? file.toLegacyInput() : VideoData.input(file);
    }

    /** Downloads a file to {@code target} with the configured size limit. */
    public Path download(FileData file, Path target) throws GradioException {
        return download(file, target, settings.maxDownloadBytes);
    }

    /**
     * Downloads a file the app returned to {@code target}, which you choose: the server's names and
     * paths are never used locally. The bytes go to a temp file in the target's directory, moved
     * into place (atomically where the file system can) only when complete. Redirects are followed
     * to http(s) only; credentials go only to the hub and the app. The file and every redirect must
     * be on the app's own origin or a host {@link Builder#allowDownloadsFrom} names (and not on a
     * private address unless the app is); anywhere else fails with a {@link GradioFileException}
     * before any request goes there.
     *
     * @param maxBytes abort (and delete what was written) when the file passes this size
     * @return the absolute target path
     */
    public Path download(FileData file, Path target, long maxBytes) throws GradioException {
        ensureOpen();
        return transfers.download(file, target, maxBytes, settings.transferTimeout);
    }

    /** Aborts calls in flight and frees the connections. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
            log.debug("closed {}", this);
        }
    }

    @Override
    public String toString() {
        return "GradioClient[" + (spaceId != null ? spaceId + " at " : "") + root + ", gradio " + config.version()
                + ", " + config.protocol().name().toLowerCase(Locale.ROOT) + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Settings of a client; {@link #connect()} builds it. Defaults: hub {@code https://huggingface.co},
     * wake poll every 1 s for up to 5 min, connect timeout 10 s, request timeout 60 s, call timeout
     * 15 min, transfer timeout 10 min, downloads up to 2 GiB and only from the app's own origin,
     * JSON answers up to 64 MiB, stream events up to 16 MiB.
     *
     * <p>Thread-safety: not thread-safe; configure on one thread.
     */
    public static final class Builder {
        private final String spaceOrUrl;
        private URI hub = URI.create("https://huggingface.co");
        private Secret token;
        private String username;
        private Secret password;
        private Duration wakePollInterval = Duration.ofSeconds(1);
        private Duration wakeTimeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofMinutes(15);
        private Duration transferTimeout = Duration.ofMinutes(10);
        private long maxDownloadBytes = 2L << 30;
        private int maxJsonBytes = 64 << 20;
        private int maxEventBytes = 16 << 20;
        private List<String> allowDownloadsFrom = List.of();

        private Builder(String spaceOrUrl) {
            this.spaceOrUrl = Objects.requireNonNull(spaceOrUrl, "spaceOrUrl").strip();
        }

        /** The Hugging Face hub to resolve Spaces with. */
        public Builder hub(URI hubUrl) {
            this.hub = Objects.requireNonNull(hubUrl, "hubUrl");
            return this;
        }

        /** A Hugging Face token, sent to the hub and the app only; null or blank for none. */
        public Builder token(String hfToken) {
            this.token = hfToken == null || hfToken.isBlank() ? null : new Secret(hfToken.strip());
            return this;
        }

        /** Credentials for an app started with {@code auth=...}; used when {@code /config} answers 401. */
        public Builder login(String user, String pass) {
            this.username = Objects.requireNonNull(user, "user");
            this.password = new Secret(Objects.requireNonNull(pass, "pass"));
            return this;
        }

        /** How often to ask the hub whether a sleeping Space is up. */
        public Builder wakePollInterval(Duration interval) {
            this.wakePollInterval = positive(interval, "wakePollInterval");
            return this;
        }

        /** How long to wait for a sleeping or building Space. */
        public Builder wakeTimeout(Duration timeout) {
            this.wakeTimeout = positive(timeout, "wakeTimeout");
            return this;
        }

        /** TCP connect timeout. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Limit for one plain request (config, info, join, upload answer headers). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Default overall limit of a call when {@link CallOptions} are not given. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /** Limit of one upload or download. */
        public Builder transferTimeout(Duration timeout) {
            this.transferTimeout = positive(timeout, "transferTimeout");
            return this;
        }

        /** Default size limit of a download. */
        public Builder maxDownloadBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDownloadBytes must be positive: " + bytes);
            }
            this.maxDownloadBytes = bytes;
            return this;
        }

        /**
         * Largest event a call's stream may carry, and largest output a stream of diffs may
         * assemble (default 16 MiB); past it the call fails with a {@link GradioTransportException}.
         */
        public Builder maxEventBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxEventBytes must be positive: " + bytes);
            }
            this.maxEventBytes = bytes;
            return this;
        }

        /**
         * Hosts besides the app's own origin that files may be downloaded from: {@code host} (any
         * port), {@code host:port} or {@code *.domain} (see {@link DownloadPolicy}). Default none.
         *
         * @throws IllegalArgumentException naming an entry that is none of these
         */
        public Builder allowDownloadsFrom(List<String> hosts) {
            for (String host : hosts) {
                DownloadPolicy.problem(host).ifPresent(problem -> {
                    throw new IllegalArgumentException("allowDownloadsFrom: " + problem);
                });
            }
            this.allowDownloadsFrom = List.copyOf(hosts);
            return this;
        }

        /**
         * Resolves the Space (waking it), logs in if needed, reads the app's config.
         *
         * @throws GradioSpaceException when the Space is paused, missing, broken or does not wake
         * @throws GradioAuthException when the hub or the app refuses the credentials
         */
        public GradioClient connect() throws GradioException {
            GradioHttp http = new GradioHttp(connectTimeout, requestTimeout, token, maxJsonBytes);
            try {
                String spaceId = null;
                URI root;
                String lower = spaceOrUrl.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http://") || lower.startsWith("https://")) {
                    root = URI.create(spaceOrUrl.replaceAll("/+$", ""));
                } else if (Spaces.isSpaceId(spaceOrUrl)) {
                    spaceId = spaceOrUrl;
                    http.trust(hub);
                    root = Spaces.resolve(http, hub, spaceId, wakePollInterval, wakeTimeout, requestTimeout);
                } else {
                    throw new IllegalArgumentException(
                            "expected a Space id owner/name or an http(s) URL, got " + spaceOrUrl);
                }
                http.trust(root);
                GradioConfig config = GradioConfig.parse(readConfig(http, root));
                GradioClient client = new GradioClient(http, root, spaceId, config, this);
                log.info("connected to {}", client);
                return client;
            } catch (InterruptedException e) {
                http.close();
                Thread.currentThread().interrupt();
                throw new GradioCancelledException("connect to " + spaceOrUrl, e);
            } catch (GradioException | RuntimeException e) {
                http.close();
                throw e;
            }
        }

        private JsonNode readConfig(GradioHttp http, URI root) throws GradioException {
            URI uri = URI.create(root + "/config");
            String label = "GET " + uri;
            HttpAnswer response = http.send("GET", uri, null, null, Deadline.after(requestTimeout), label);
            if (response.status() == 401) {
                if (username == null) {
                    throw new GradioAuthException(label, "the app needs a login and no credentials are configured");
                }
                logIn(http, root);
                response = http.send("GET", uri, null, null, Deadline.after(requestTimeout), label);
                if (response.status() == 401) {
                    throw new GradioAuthException(label, "the app still refuses access after logging in");
                }
            }
            return http.json(response, label);
        }

        private void logIn(GradioHttp http, URI root) throws GradioException {
            URI uri = URI.create(root + "/login");
            String label = "POST " + uri;
            String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password.reveal(), StandardCharsets.UTF_8);
            HttpAnswer response = http.send(
                    "POST",
                    uri,
                    HttpRequest.BodyPublishers.ofString(form),
                    "application/x-www-form-urlencoded",
                    Deadline.after(requestTimeout),
                    label);
            if (response.status() / 100 != 2) {
                throw new GradioAuthException(
                        label,
                        "login refused (HTTP " + response.status() + "): " + password.scrub(http.detail(response)));
            }
            http.keepCookies(response);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        @Override
        public String toString() {
            return "GradioClient.Builder[" + spaceOrUrl + ", hub " + hub + (token != null ? ", token ***" : "")
                    + (username != null ? ", login " + username + "/***" : "") + "]";
        }
    }
}
