package tv.latent.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the origin's open connections, and closes those that take longer than the header
 * timeout to send a request's headers.
 *
 * <p>Jetty's idle timeout starts again at every byte received, so a client that sends a header
 * one byte every few seconds (slowloris) would hold its connection, and a thread's worth of
 * state, forever. Here every connection has a deadline for the headers of its next request,
 * from when it opened or its previous answer ended; the request's handling clears it. A sweeper
 * closes connections past their deadline once a second (sooner for a short timeout). Keep-alive
 * connections left idle are closed after the same time.
 *
 * <p>Installed as a Jetty handler in front of the application (to see when a request's headers
 * are complete and when its answer ends) and as a listener of the connector (to see connections
 * open and close). Thread-safe; the sweeper runs between Jetty's start and stop.
 */
final class ConnectionGuard extends Handler.Wrapper implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final long headerNanos;
    /** Deadlines (System.nanoTime) of connections waiting for a request's headers; at most one per open connection. */
    private final Map<Connection, Long> waiting = new ConcurrentHashMap<>();

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder closedSlow = new LongAdder();
    private ScheduledExecutorService sweeper;

    ConnectionGuard(Duration headerTimeout) {
        this.headerNanos = headerTimeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        open.incrementAndGet();
        waiting.put(connection, System.nanoTime() + headerNanos);
    }

    @Override
    public void onClosed(Connection connection) {
        open.decrementAndGet();
        waiting.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        waiting.remove(connection);
        // the deadline for the next request starts before the callback completes: once it has,
        // the connection may already be parsing that request
        Callback rearm = new Callback() {
            @Override
            public void succeeded() {
                expectNext(connection);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                expectNext(connection);
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        return super.handle(request, response, rearm);
    }

    private void expectNext(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            waiting.put(connection, System.nanoTime() + headerNanos);
        }
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Connections closed because their headers did not arrive in time, since start. */
    long closedSlow() {
        return closedSlow.sum();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, Long> entry : waiting.entrySet()) {
            if (now - entry.getValue() < 0) {
                continue;
            }
            Connection connection = entry.getKey();
            if (waiting.remove(connection, entry.getValue())
                    && connection.getEndPoint().isOpen()) {
                closedSlow.increment();
                LOG.debug("closing {}: no complete request headers within the header timeout", connection);
                connection.getEndPoint().close();
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        long every = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(headerNanos) / 4));
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("web-header-timeout").daemon(true).factory());
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        super.doStart();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the sweeper must go on; the next round tries again
            LOG.warn("header-timeout sweep failed: {}", e.toString());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        super.doStop();
    }
}
