package tv.latent.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-sent event clients of every channel: admission under the caps of {@link Limits},
 * one bounded queue per client, and a fan-out that never waits for a client.
 *
 * <pre>{@code
 * Optional<EventClients.Client> joined = clients.join("tv", abortConnection);
 * // on the client's own request thread:
 * joined.get().serve(response.getOutputStream(), Duration.ofSeconds(15));
 * // on any thread:
 * clients.publish("tv", EventClients.frame("now-playing", json));
 * }</pre>
 *
 * <p>Each client is written to by its own thread (the virtual thread of its request), which takes
 * frames from the client's queue; {@link #publish} only offers to the queues. A client whose
 * queue already holds {@link #QUEUED} frames (it stopped reading, or reads slower than events
 * come) is dropped: removed at once and its connection aborted, so that a write blocked on it
 * ends too. A browser's EventSource then reconnects by itself and gets the current state.
 *
 * <p>Thread-safe. {@link #close()} ends every client; idempotent.
 */
final class EventClients implements AutoCloseable {
    /** Frames waiting for one client; a client that falls this far behind is dropped. */
    static final int QUEUED = 16;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final int maxTotal;
    private final int maxPerChannel;
    private final Map<String, Set<Client>> byChannel = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private int total; // guarded by this
    private boolean closed; // guarded by this

    EventClients(int maxTotal, int maxPerChannel) {
        this.maxTotal = maxTotal;
        this.maxPerChannel = maxPerChannel;
    }

    /** One event in the wire format; {@code data} must be one line (compact JSON is). */
    static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data.replace("\r", "").replace("\n", " ") + "\n\n";
    }

    /**
     * Admits a client to a channel's stream, or says no when the channel or the whole origin has
     * as many clients as allowed (or the origin is closing).
     *
     * @param abort closes the client's connection (called when the client is dropped)
     */
    synchronized Optional<Client> join(String channelId, Runnable abort) {
        Set<Client> set = byChannel.computeIfAbsent(channelId, id -> ConcurrentHashMap.newKeySet());
        if (closed || total >= maxTotal || set.size() >= maxPerChannel) {
            rejected.increment();
            return Optional.empty();
        }
        Client client = new Client(channelId, abort);
        set.add(client);
        total++;
        return Optional.of(client);
    }

    /** Removes a client (its stream ended, or it was dropped); idempotent. */
    void leave(Client client) {
        client.end();
        synchronized (this) {
            if (byChannel.get(client.channelId).remove(client)) {
                total--;
            }
        }
    }

    /** Queues a frame for every client of the channel; drops those whose queue is full. Never blocks. */
    void publish(String channelId, String frame) {
        Set<Client> set = byChannel.get(channelId);
        if (set == null) {
            return;
        }
        for (Client client : set) {
            if (!client.offer(frame)) {
                drop(client);
            }
        }
    }

    private void drop(Client client) {
        boolean removed;
        synchronized (this) {
            removed = byChannel.get(client.channelId).remove(client);
            if (removed) {
                total--;
            }
        }
        if (removed) {
            dropped.increment();
            client.end();
            client.abort();
        }
    }

    /** Clients connected now, all channels. */
    synchronized int count() {
        return total;
    }

    /** Clients of one channel connected now. */
    int count(String channelId) {
        Set<Client> set = byChannel.get(channelId);
        return set == null ? 0 : set.size();
    }

    /** Clients refused because a cap was reached, since start. */
    long rejected() {
        return rejected.sum();
    }

    /** Clients dropped because they fell {@link #QUEUED} frames behind, since start. */
    long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Set<Client> set : byChannel.values()) {
            for (Client client : set) {
                leave(client);
            }
        }
    }

    /** One browser's stream: a bounded queue of frames and the thread that writes them. Thread-safe. */
    static final class Client {
        private static final String WAKE = "";

        private final String channelId;
        private final Runnable abort;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUED);
        private volatile boolean ended;

        private Client(String channelId, Runnable abort) {
            this.channelId = channelId;
            this.abort = abort;
        }

        /** Queues a frame; false when {@link #QUEUED} frames already wait (the client fell behind). */
        boolean offer(String frame) {
            return ended || queue.offer(frame);
        }

        /**
         * Writes queued frames to {@code out} as they come, and a keep-alive comment after
         * {@code keepAlive} of quiet, until the client leaves or is dropped. Runs on the client's
         * own thread.
         *
         * @throws IOException when the client went away
         */
        void serve(OutputStream out, Duration keepAlive) throws IOException, InterruptedException {
            while (!ended) {
                String frame = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                if (ended) {
                    return;
                }
                out.write(frame == null ? KEEP_ALIVE : frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        private void end() {
            ended = true;
            queue.clear();
            queue.offer(WAKE); // wakes serve() if it waits
        }

        private void abort() {
            try {
                abort.run();
            } catch (RuntimeException e) {
                // the connection is already gone
            }
        }
    }
}
