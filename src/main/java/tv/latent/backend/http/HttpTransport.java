package tv.latent.backend.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP mechanics the protocol clients share: an HTTP/1.1 client that follows redirects only
 * when asked and then by hand (every hop checked, credentials re-chosen per hop), a watchdog that
 * closes an answer's body when its call's deadline passes, answers read whole within a byte
 * limit, bodies copied to a file within a limit (and resumed), and event streams. Failures are
 * made by the client's own {@link Failures} factory, so callers see only the client's typed
 * exception.
 *
 * <pre>{@code
 * var transport = new HttpTransport<>("comfyui-watchdog-" + server.getAuthority(),
 *     Duration.ofSeconds(10), (failure, route, message, cause) -> ...);
 * HttpAnswer answer = transport.exchange(request, "GET /history", 1 << 20, Deadline.after(timeout));
 * HttpResponse<InputStream> response = transport.send(request, "GET /view");
 * try (InputStream body = response.body();
 *     HttpTransport.Guard guard = transport.guard(body, deadline)) { ... }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close} is idempotent.
 *
 * @param <E> the client's exception type
 */
public final class HttpTransport<E extends Exception> implements AutoCloseable {

    /** Makes a client's typed exception for a failure of one of its routes. */
    @FunctionalInterface
    public interface Failures<E extends Exception> {
        E failure(HttpFailure failure, String route, String message, Throwable cause);
    }

    /** Judges the bytes a copy has read so far; throws the client's failure to stop it. */
    @FunctionalInterface
    public interface Limit<E extends Exception> {
        void check(long total) throws E;
    }

    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final ScheduledExecutorService watchdog;
    private final Failures<E> failures;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param watchdogName the name of the daemon thread that enforces deadlines */
    public HttpTransport(String watchdogName, Duration connectTimeout, Failures<E> failures) {
        this.failures = failures;
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, watchdogName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The underlying client, e.g. for WebSockets. */
    public HttpClient client() {
        return http;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Fails with CANCELLED once the transport is closed. */
    public void ensureOpen(String route) throws E {
        if (closed.get()) {
            throw failures.failure(HttpFailure.CANCELLED, route, "the client is closed", null);
        }
    }

    /**
     * Sends {@code request} and returns as soon as the answer's head has arrived. Redirects are
     * answers like any other here.
     *
     * @throws E CANCELLED (the interrupt flag set again) when the calling thread is interrupted
     */
    public HttpResponse<InputStream> send(HttpRequest request, String route) throws E {
        try {
            return http.send(request, BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw failures.failure(HttpFailure.CONNECT_FAILED, route, "connecting timed out", e);
        } catch (HttpTimeoutException e) {
            throw timeout(route, request.timeout().orElse(null), e);
        } catch (ConnectException e) {
            throw failures.failure(HttpFailure.CONNECT_FAILED, route, "cannot connect: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.failure(HttpFailure.CANCELLED, route, "interrupted", e);
        } catch (IOException e) {
            if (closed.get()) {
                throw failures.failure(HttpFailure.CANCELLED, route, "the client was closed", e);
            }
            throw failures.failure(
                    HttpFailure.DISCONNECTED, route, "the connection failed before an answer arrived: " + e, e);
        }
    }

    /**
     * Sends a GET-like request to {@code uri} and follows redirects (301, 302, 303, 307, 308) by
     * hand, at most five, to http(s) URLs only. Each hop's request is made afresh by {@code hop},
     * so the caller decides per origin which credentials it carries.
     *
     * @throws E MALFORMED_RESPONSE for a redirect without a Location, to a non-HTTP URL, or one
     *     too many; as {@link #send} otherwise
     */
    public HttpResponse<InputStream> follow(URI uri, Function<URI, HttpRequest> hop, String route) throws E {
        return follow(uri, hop, route, null);
    }

    /**
     * As {@link #follow(URI, Function, String)}, and every hop, the first included, must pass
     * {@code policy} before it is requested: a URL or redirect to where the backend may not send
     * the station fails the call without a request going there.
     *
     * @param policy where requests may go, or null for anywhere over http(s)
     * @throws E REFUSED when a hop fails the policy
     */
    public HttpResponse<InputStream> follow(
            URI uri, Function<URI, HttpRequest> hop, String route, DownloadPolicy policy) throws E {
        URI current = uri;
        for (int hops = 0; ; hops++) {
            if (policy != null) {
                var refusal = policy.refusal(current);
                if (refusal.isPresent()) {
                    throw failures.failure(HttpFailure.REFUSED, route, refusal.get(), null);
                }
            }
            HttpResponse<InputStream> response = send(hop.apply(current), route);
            if (!isRedirect(response.statusCode())) {
                return response;
            }
            closeQuietly(response.body());
            current = nextHop(current, response.headers(), hops, route);
        }
    }

    private URI nextHop(URI current, HttpHeaders headers, int hops, String route) throws E {
        String location = headers.firstValue("location").orElse(null);
        if (location == null) {
            throw malformed(route, "redirect without a Location header", null);
        }
        if (hops >= MAX_REDIRECTS) {
            throw malformed(route, "more than " + MAX_REDIRECTS + " redirects", null);
        }
        URI next;
        try {
            next = current.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw malformed(route, "redirect to an invalid URL", e);
        }
        requireHttp(next, route);
        log.debug("{}: following redirect to {}", route, next);
        return next;
    }

    /** Fails with MALFORMED_RESPONSE unless {@code uri} is an absolute http(s) URL with a host. */
    public void requireHttp(URI uri, String route) throws E {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw malformed(route, "refused a non-HTTP URL (scheme '" + scheme + "')", null);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private E malformed(String route, String message, Throwable cause) {
        return failures.failure(HttpFailure.MALFORMED_RESPONSE, route, message, cause);
    }

    /** Sends {@code request} and reads its whole answer, see {@link #read}. */
    public HttpAnswer exchange(HttpRequest request, String route, int maxBytes, Deadline deadline) throws E {
        return read(send(request, route), route, maxBytes, deadline);
    }

    /**
     * Reads an answer's whole body, whatever its status, and closes it. A gzip or deflate body is
     * decoded, and the limit holds for the decoded bytes.
     *
     * @throws E TOO_LARGE past {@code maxBytes}, TIMEOUT when {@code deadline} passes first,
     *     DISCONNECTED when the body breaks off, MALFORMED_RESPONSE for an encoding that cannot be
     *     undone
     */
    public HttpAnswer read(HttpResponse<InputStream> response, String route, int maxBytes, Deadline deadline) throws E {
        InputStream raw = response.body();
        try (Guard guard = guard(raw, deadline)) {
            InputStream body = decoded(response, route);
            byte[] bytes;
            try (body) {
                bytes = body.readNBytes(maxBytes + 1);
            } catch (ZipException e) {
                throw malformed(route, "the answer's " + encoding(response) + " encoding is broken: " + e, e);
            } catch (IOException e) {
                throw guard.fired()
                        ? timeout(route, deadline.budget(), e)
                        : failures.failure(
                                HttpFailure.DISCONNECTED, route, "the connection dropped during the answer: " + e, e);
            }
            if (bytes.length > maxBytes) {
                throw failures.failure(HttpFailure.TOO_LARGE, route, tooLarge(response, maxBytes), null);
            }
            if (guard.fired()) {
                throw timeout(route, deadline.budget(), null);
            }
            return new HttpAnswer(response.statusCode(), response.headers(), bytes, response.uri());
        } finally {
            closeQuietly(raw);
        }
    }

    private static String tooLarge(HttpResponse<?> response, long maxBytes) {
        return ContentDecoding.encoded(response.headers())
                ? "the answer is larger than " + maxBytes + " bytes once decoded (" + encoding(response) + ")"
                : "the answer is larger than " + maxBytes + " bytes";
    }

    private static String encoding(HttpResponse<?> response) {
        return response.headers().firstValue("content-encoding").orElse("identity");
    }

    /**
     * The body as the server meant it: a gzip or deflate {@code Content-Encoding} is undone while it
     * is read (every limit then counts decoded bytes, so a compression bomb stops at the limit).
     * Closing it closes the body. Give {@link #guard} the raw {@code response.body()}: closing a
     * decoder from another thread would break the reader.
     *
     * @throws E MALFORMED_RESPONSE (and the body closed) for an encoding this client cannot undo
     */
    public InputStream decoded(HttpResponse<InputStream> response, String route) throws E {
        var decoded = ContentDecoding.of(response.body(), response.headers());
        if (decoded.isEmpty()) {
            closeQuietly(response.body());
            throw malformed(
                    route, "the answer has a Content-Encoding this client cannot read: " + encoding(response), null);
        }
        return decoded.get();
    }

    /** Whether the body arrives encoded, so its byte offsets (Range requests) differ from what is read. */
    public static boolean encoded(HttpResponse<?> response) {
        return ContentDecoding.encoded(response.headers());
    }

    /** The start of an answer's body (for an error message), then closes it; never fails. */
    public static HttpAnswer head(HttpResponse<InputStream> response, int maxBytes) {
        byte[] start;
        try (InputStream in =
                ContentDecoding.of(response.body(), response.headers()).orElse(InputStream.nullInputStream())) {
            start = in.readNBytes(maxBytes);
        } catch (IOException e) {
            start = new byte[0];
        } finally {
            closeQuietly(response.body());
        }
        return new HttpAnswer(response.statusCode(), response.headers(), start, response.uri());
    }

    /**
     * Reads a {@code text/event-stream} answer's body (decoded as {@link #decoded} does); see
     * {@link EventStream}. Close the stream when done.
     *
     * @param maxEventBytes the largest event (all its data lines) or line accepted
     */
    public EventStream<E> events(HttpResponse<InputStream> response, String route, int maxEventBytes) throws E {
        return new EventStream<>(response.body(), decoded(response, route), route, maxEventBytes, failures).start();
    }

    /** A TIMEOUT failure for a call allowed {@code timeout}. */
    public E timeout(String route, Duration timeout, Throwable cause) {
        return failures.failure(HttpFailure.TIMEOUT, route, "no complete answer within " + timeout, cause);
    }

    /**
     * Closes {@code body} when {@code deadline} passes. On a closed transport the body is closed at
     * once, so reading it fails as a dropped connection.
     */
    public Guard guard(Closeable body, Deadline deadline) {
        var guard = new Guard();
        try {
            guard.future = watchdog.schedule(
                    () -> {
                        guard.fired = true;
                        try {
                            body.close();
                        } catch (IOException e) {
                            log.debug("closing a timed-out answer failed", e);
                        }
                    },
                    Math.max(0, deadline.remainingNanos()),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closeQuietly(body);
            guard.future = CompletableFuture.completedFuture(null);
        }
        return guard;
    }

    /**
     * Copies {@code body} into {@code file} and returns the byte count; fails with TOO_LARGE past
     * {@code maxBytes}. See {@link #copy(InputStream, Path, long, Limit, Guard, Duration, String)}.
     */
    public long copy(InputStream body, Path file, long maxBytes, Guard guard, Duration timeout, String route) throws E {
        return copy(
                body,
                file,
                0,
                total -> {
                    if (total > maxBytes) {
                        throw failures.failure(
                                HttpFailure.TOO_LARGE,
                                route,
                                "the file is larger than the limit of " + maxBytes + " bytes",
                                null);
                    }
                },
                guard,
                timeout,
                route);
    }

    /**
     * Copies {@code body} into {@code file} and returns the file's byte count. Fails with TIMEOUT
     * when {@code guard} fired, DISCONNECTED when the body breaks off (what was read is in the
     * file), LOCAL_IO when the file cannot be written, or with what {@code limit} throws.
     *
     * @param offset bytes already in {@code file} from an earlier copy that broke off: the body is
     *     appended and counted from there; 0 replaces the file
     * @param limit sees the running total (offset included) before each write
     * @param timeout the call's time limit, for the TIMEOUT message
     */
    public long copy(
            InputStream body, Path file, long offset, Limit<E> limit, Guard guard, Duration timeout, String route)
            throws E {
        OutputStream out;
        try {
            out = offset > 0 ? Files.newOutputStream(file, StandardOpenOption.APPEND) : Files.newOutputStream(file);
        } catch (IOException e) {
            throw cannotWrite(file, route, e);
        }
        // No catch of IOException around the loop: it would also catch the client's own failures.
        try {
            long total = offset;
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (ZipException e) {
                    throw malformed(route, "the body's encoding is broken after " + total + " bytes: " + e, e);
                } catch (IOException e) {
                    throw guard.fired()
                            ? timeout(route, timeout, e)
                            : failures.failure(
                                    HttpFailure.DISCONNECTED,
                                    route,
                                    "the connection dropped after " + total + " bytes: " + e,
                                    e);
                }
                if (n < 0) {
                    if (guard.fired()) {
                        throw timeout(route, timeout, null);
                    }
                    try {
                        out.close();
                    } catch (IOException e) {
                        throw cannotWrite(file, route, e);
                    }
                    return total;
                }
                total += n;
                limit.check(total);
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw cannotWrite(file, route, e);
                }
            }
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                log.debug("closing {} failed", file, e);
            }
        }
    }

    private E cannotWrite(Path file, String route, IOException cause) {
        return failures.failure(HttpFailure.LOCAL_IO, route, "cannot write " + file, cause);
    }

    /** Closes a body whose rest nobody will read; a failure to close is only logged. */
    public static void closeQuietly(Closeable body) {
        try {
            body.close();
        } catch (IOException e) {
            log.trace("closing a response body failed", e);
        }
    }

    /** Aborts calls in flight and stops the watchdog. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.shutdownNow();
            watchdog.shutdownNow();
        }
    }

    /** Closes an answer's body when its call's deadline passes; close it when the call ends. */
    public static final class Guard implements AutoCloseable {
        private volatile boolean fired;
        private Future<?> future;

        private Guard() {}

        /** Whether the deadline passed and the body was closed. */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }
}
