package tv.latent.backend.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP mechanics the protocol clients share: an HTTP/1.1 client that never follows
 * redirects, a watchdog that closes an answer's body when its call's deadline passes, sending
 * with failures mapped to {@link HttpFailure}, and copying a body to a file under a byte limit.
 * Failures are made by the client's own {@link Failures} factory, so callers see only the
 * client's typed exception.
 *
 * <pre>{@code
 * var transport = new HttpTransport<>("comfyui-watchdog-" + server.getAuthority(),
 *     Duration.ofSeconds(10), (failure, route, message, cause) -> ...);
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

    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

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

    /** Sends {@code request} and returns as soon as the answer's head has arrived. */
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

    /** A TIMEOUT failure for a call allowed {@code timeout}. */
    public E timeout(String route, Duration timeout, Throwable cause) {
        return failures.failure(HttpFailure.TIMEOUT, route, "no complete answer within " + timeout, cause);
    }

    /** Closes {@code body} when {@code deadlineNanos} ({@link System#nanoTime}) passes. */
    public Guard guard(Closeable body, long deadlineNanos) {
        var guard = new Guard();
        guard.future = watchdog.schedule(
                () -> {
                    guard.fired = true;
                    try {
                        body.close();
                    } catch (IOException e) {
                        log.debug("closing a timed-out answer failed", e);
                    }
                },
                Math.max(0, deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        return guard;
    }

    /**
     * Copies {@code body} into {@code file} and returns the byte count; fails with TOO_LARGE past
     * {@code maxBytes}, TIMEOUT when {@code guard} fired, DISCONNECTED when the body breaks off.
     *
     * @param timeout the call's time limit, for the TIMEOUT message
     */
    public long copy(InputStream body, Path file, long maxBytes, Guard guard, Duration timeout, String route) throws E {
        OutputStream out;
        try {
            out = Files.newOutputStream(file);
        } catch (IOException e) {
            throw cannotWrite(file, route, e);
        }
        // No catch of IOException around the loop: it would also catch the client's own failures.
        try {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
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
                if (total > maxBytes) {
                    throw failures.failure(
                            HttpFailure.TOO_LARGE,
                            route,
                            "the file is larger than the" + " limit of " + maxBytes + " bytes",
                            null);
                }
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
        private ScheduledFuture<?> future;

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
