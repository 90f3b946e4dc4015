package tv.latent.web;

import java.time.Duration;

/**
 * What the web origin allows, so that viewers cannot hurt the channel: caps on connections and
 * on server-sent event clients (beyond them a request is answered 503 with a JSON body and
 * {@code Retry-After}), and the timeouts that close idle and trickling connections.
 *
 * @param maxConnections open connections; a request arriving while more are open is answered 503
 *     (health and metrics excepted), and past a margin above it the server stops accepting until
 *     some close
 * @param maxEventClients server-sent event clients of all channels at once
 * @param maxEventClientsPerChannel server-sent event clients of one channel at once
 * @param idleTimeout a connection with no bytes either way for this long is closed (a blocked
 *     write to a client that stopped reading fails after it too)
 * @param headerTimeout the longest a client may take to send a request's headers, counted from
 *     when its connection opened or its previous answer ended: a client that trickles a byte at a
 *     time (slowloris) is closed after it
 * @param maxStreamClients continuous MPEG-TS streams of all channels at once (the emulated tuner's
 *     TunerCount): one more is answered 503 "all tuners busy"
 * @param streamClientBuffer how far a stream client may fall behind the channel (stream time
 *     queued for it, beyond what the operating system's socket buffers hold) before it is dropped
 */
public record Limits(
        int maxConnections,
        int maxEventClients,
        int maxEventClientsPerChannel,
        Duration idleTimeout,
        Duration headerTimeout,
        int maxStreamClients,
        Duration streamClientBuffer) {
    /**
     * Ten thousand connections, five thousand event clients (two thousand per channel), 30 s idle, 10 s for
     * headers, four streams each 10 s behind at most.
     */
    public static final Limits DEFAULT =
            new Limits(10_000, 5_000, 2_000, Duration.ofSeconds(30), Duration.ofSeconds(10), 4, Duration.ofSeconds(10));

    /** Limits with the default stream caps. */
    public Limits(
            int maxConnections,
            int maxEventClients,
            int maxEventClientsPerChannel,
            Duration idleTimeout,
            Duration headerTimeout) {
        this(
                maxConnections,
                maxEventClients,
                maxEventClientsPerChannel,
                idleTimeout,
                headerTimeout,
                DEFAULT.maxStreamClients(),
                DEFAULT.streamClientBuffer());
    }

    public Limits {
        if (maxConnections < 1 || maxEventClients < 0 || maxEventClientsPerChannel < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxConnections + " connections, "
                    + maxEventClients + " event clients, " + maxEventClientsPerChannel + " per channel");
        }
        if (maxStreamClients < 0 || streamClientBuffer.isNegative() || streamClientBuffer.isZero()) {
            throw new IllegalArgumentException(
                    "stream limits must be positive: " + maxStreamClients + " clients, buffer " + streamClientBuffer);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeouts must be positive: idle " + idleTimeout + ", headers " + headerTimeout);
        }
    }
}
