package tv.latent.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
 * <p>Thread-safe. {@link #close()} ends every client; idempotent. Admission, drops and counts are
 * {@link ChannelClients}'s.
 */
final class EventClients extends ChannelClients<EventClients.Client> {
    /** Frames waiting for one client; a client that falls this far behind is dropped. */
    static final int QUEUED = 16;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    EventClients(int maxTotal, int maxPerChannel) {
        super(maxTotal, maxPerChannel);
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
    Optional<Client> join(String channelId, Runnable abort) {
        return admit(channelId, () -> new Client(channelId, abort));
    }

    /** Removes a client (its stream ended, or it was dropped); idempotent. */
    void leave(Client client) {
        leave(client.channelId, client);
    }

    /** Queues a frame for every client of the channel; drops those whose queue is full. Never blocks. */
    void publish(String channelId, String frame) {
        for (Client client : clientsOf(channelId)) {
            if (!client.offer(frame)) {
                drop(channelId, client);
            }
        }
    }

    /** One browser's stream: a bounded queue of frames and the thread that writes them. Thread-safe. */
    static final class Client extends ChannelClients.Member {
        private static final String WAKE = "";

        private final String channelId;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUED);
        private volatile boolean ended;

        private Client(String channelId, Runnable abort) {
            super(abort);
            this.channelId = channelId;
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

        @Override
        void end() {
            ended = true;
            queue.clear();
            queue.offer(WAKE); // wakes serve() if it waits
        }
    }
}
