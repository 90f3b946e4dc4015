package tv.latent.web;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.logging.Logging;
import tv.latent.playout.Playout;
import tv.latent.playout.SegmentFeed;
import tv.latent.time.Backoff;

/**
 * The continuous MPEG-TS clients of every channel (media centers' tuners, IPTV players):
 * admission under the tuner count, one feeder per channel that has clients, and a bounded queue
 * per client.
 *
 * <pre>{@code
 * Optional<StreamClients.Client> joined = streams.join("tv", abortConnection);   // empty: all tuners busy
 * joined.get().serve(response.getOutputStream());   // on the client's own request thread, until it leaves
 * }</pre>
 *
 * <p>A channel's feeder (a virtual thread, running while the channel has clients) reads the
 * channel's segments from the live point as their start comes ({@link SegmentFeed}: the same
 * re-stamped bytes as HLS, no transcode) and offers each to every client's queue; it never waits
 * for a client. Each client is written to by its own request thread. A client whose queue would
 * hold more than the buffer's worth of stream time (it stopped reading, or reads slower than real
 * time) is dropped: removed at once, its tuner freed and its connection aborted, so that a write
 * blocked on it ends too. A new client starts with the segment on air now, so its player starts at
 * once.
 *
 * <p>Thread-safe. {@link #close()} ends every client and feeder; idempotent. Admission, drops and
 * counts are {@link ChannelClients}'s, under this object's lock, which the feeders share.
 */
final class StreamClients extends ChannelClients<StreamClients.Client> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamClients.class);
    private static final Backoff FAILING = Backoff.of(Duration.ofMillis(500), Duration.ofSeconds(10));

    private final Playout playout;
    private final long bufferNanos;
    private final Map<String, Feeder> feeders = new HashMap<>(); // guarded by this

    StreamClients(Playout playout, int maxClients, Duration buffer) {
        super(maxClients, Integer.MAX_VALUE);
        this.playout = playout;
        this.bufferNanos = buffer.toNanos();
    }

    /**
     * Admits a client to a channel's stream (starting the channel's feeder if it has none), or says
     * no when as many streams as there are tuners are open (or the origin is closing).
     *
     * @param abort closes the client's connection (called when the client is dropped)
     */
    Optional<Client> join(String channelId, Runnable abort) {
        return admit(channelId, () -> {
            Client client = new Client(abort);
            Feeder feeder = feeders.get(channelId);
            if (feeder == null) {
                feeder = new Feeder(channelId);
                feeders.put(channelId, feeder);
                feeder.start();
            } else {
                feeder.current().ifPresent(client::offer);
            }
            return client;
        });
    }

    /** Ends every client, then every feeder. Idempotent. */
    @Override
    public void close() {
        super.close();
        Map<String, Feeder> running;
        synchronized (this) {
            running = Map.copyOf(feeders);
        }
        running.values().forEach(Feeder::stop);
    }

    /** Reads one channel's segments and hands them to its clients, while it has any. */
    private final class Feeder {
        private final String channelId;
        private volatile SegmentFeed.Segment current;
        private Thread thread;

        Feeder(String channelId) {
            this.channelId = channelId;
        }

        void start() {
            thread = Thread.ofVirtual().name("ts-" + channelId).start(this::run);
        }

        void stop() {
            thread.interrupt();
        }

        /** The segment on air now, for a client that joins. */
        Optional<SegmentFeed.Segment> current() {
            return Optional.ofNullable(current);
        }

        private void run() {
            MDC.put(Logging.CHANNEL, channelId);
            SegmentFeed feed = null;
            int failures = 0;
            while (stillWanted()) {
                try {
                    if (feed == null) {
                        feed = playout.feed(channelId);
                    }
                    switch (feed.poll()) {
                        case SegmentFeed.Wait w -> {
                            if (w.duration().isPositive()) {
                                Thread.sleep(w.duration());
                            }
                        }
                        case SegmentFeed.Segment segment -> publish(segment);
                    }
                    failures = 0;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures++;
                    Duration wait = FAILING.delay(failures);
                    LOG.warn(
                            "channel {}: reading segments for stream clients failed ({}), trying again in {} ms",
                            channelId,
                            e.toString(),
                            wait.toMillis());
                    feed = null;
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }

        private void publish(SegmentFeed.Segment segment) {
            current = segment;
            for (Client client : clientsOf(channelId)) {
                if (!client.offer(segment)) {
                    LOG.info("channel {}: a stream client fell behind by more than its buffer; dropped", channelId);
                    drop(channelId, client);
                }
            }
        }

        /** False once the channel has no client left (the feeder is then forgotten, under the same lock as join). */
        private boolean stillWanted() {
            synchronized (StreamClients.this) {
                if (closed() || count(channelId) == 0) {
                    feeders.remove(channelId, this);
                    return false;
                }
                return true;
            }
        }
    }

    /** One client's stream: a queue bounded by stream time, and the thread that writes it. Thread-safe. */
    final class Client extends ChannelClients.Member {
        private final Deque<SegmentFeed.Segment> queue = new ArrayDeque<>();
        private long queuedNanos; // guarded by this
        private boolean ended; // guarded by this

        private Client(Runnable abort) {
            super(abort);
        }

        /** Queues a segment; false when the queue already holds the buffer's worth (one segment always fits). */
        synchronized boolean offer(SegmentFeed.Segment segment) {
            if (ended) {
                return true;
            }
            long length = segment.length().toNanos();
            if (!queue.isEmpty() && queuedNanos + length > bufferNanos) {
                return false;
            }
            queue.addLast(segment);
            queuedNanos += length;
            notifyAll();
            return true;
        }

        /**
         * Writes queued segments to {@code out} as they come, until the client leaves, is dropped or
         * the origin closes. Runs on the client's own thread.
         *
         * @throws IOException when the client went away
         */
        void serve(OutputStream out) throws IOException, InterruptedException {
            while (true) {
                SegmentFeed.Segment next;
                synchronized (this) {
                    while (queue.isEmpty() && !ended) {
                        wait();
                    }
                    if (ended) {
                        return;
                    }
                    next = queue.removeFirst();
                    queuedNanos -= next.length().toNanos();
                }
                out.write(next.bytes());
                out.flush();
            }
        }

        @Override
        synchronized void end() {
            ended = true;
            queue.clear();
            queuedNanos = 0;
            notifyAll();
        }
    }
}
