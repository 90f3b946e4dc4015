package tv.latent.playout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.media.ChildProcess;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Pushes one channel to one RTMP target: one ffmpeg that copies MPEG-TS from its standard input
 * to FLV, fed with the channel's re-stamped segments as their wall-clock start comes, from the
 * live point on. Timestamps are continuous across clip joins because the segments are.
 *
 * <p>A target that stops taking data is left within {@link #STALL} and a bit: ffmpeg's own
 * {@code -rw_timeout} ends a connect, handshake, read or write that hangs that long (a tarpit that
 * accepts the connection and never answers), and a watchdog ends ffmpeg when one segment's write
 * to it has not finished in that time (ffmpeg stopped reading because the target stopped). When
 * ffmpeg exits or a write fails, the pusher waits by {@link #RECONNECT} (1 s, 2 s, 4 s … at most
 * 30 s, with jitter; a push that ran {@link #HEALTHY} starts over at 1 s) and starts again at the
 * live point. Watchdog and waits run on the system's monotonic clock: ffmpeg's I/O happens in
 * real time whatever the channel's clock does. The stream key never appears in logs or in
 * {@link #status()}.
 *
 * <p>Runs on its own virtual thread, plus a watchdog thread while ffmpeg runs; ffmpeg is a {@link
 * ChildProcess} whose error lines go to the debug log. {@link #close()} stops them all, bounded.
 */
final class RtmpPusher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpPusher.class);
    /** How long a segment's write, or one of ffmpeg's network operations, may hang before the target counts as stalled. */
    static final Duration STALL = Duration.ofSeconds(8);
    /** The waits between attempts after failures in a row. */
    static final Backoff RECONNECT = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** How long ffmpeg may take to finish once its input is closed, and again after SIGTERM. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** A push that ran this long resets the backoff. */
    private static final Duration HEALTHY = Duration.ofSeconds(30);
    /** How often the watchdog looks at the write in progress. */
    private static final Duration WATCH_EVERY = Duration.ofMillis(500);

    private final ChannelPlayout channel;
    private final PushTarget target;
    private final String url;
    private final String key;
    private final Path ffmpeg;
    private final MonotonicClock real = MonotonicClock.system();
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile int starts;
    private volatile Instant lastStart = Instant.EPOCH;
    private volatile boolean up;
    private volatile String lastError;
    /** When the write in progress began ({@link #real}), or {@link #IDLE}. */
    private volatile long writingSince = IDLE;

    private Thread thread;
    private ChildProcess process;

    private static final long IDLE = Long.MIN_VALUE;

    /** @param clock unused for I/O deadlines (they are real time); kept for the caller's wiring */
    RtmpPusher(ChannelPlayout channel, PushTarget target, Path ffmpeg, MonotonicClock clock) {
        this.channel = channel;
        this.target = target;
        this.key = target.streamKey();
        this.url = target.publishUrl();
        this.ffmpeg = ffmpeg;
    }

    /** How many times ffmpeg has been started (1 plus the reconnections). */
    int starts() {
        return starts;
    }

    /** Whether the push's ffmpeg runs now (it may still be connecting). */
    boolean up() {
        synchronized (lock) {
            return !closed && process != null && process.isAlive();
        }
    }

    /** The target's name in the configuration (never its URL or key). */
    String targetName() {
        return target.name();
    }

    /** When ffmpeg was last started (a connection attempt). */
    Instant lastStart() {
        return lastStart;
    }

    /** The push's state now: no URL, no stream key. */
    PushStatus status() {
        return new PushStatus(
                channel.config().id(),
                target.name(),
                up,
                starts,
                Math.max(0, starts - 1),
                Optional.ofNullable(lastError));
    }

    void start() {
        synchronized (lock) {
            if (thread != null || closed) {
                return;
            }
            thread = Thread.ofVirtual()
                    .name("push-" + channel.config().id() + "-" + target.name())
                    .start(this::run);
        }
    }

    private String label() {
        return channel.config().id() + "→" + target.name();
    }

    /** {@code text} with the stream key masked. */
    String mask(String text) {
        return key == null ? text : text.replace(key, "****");
    }

    /** {@code text} with the target's URL named by the target's name and the key masked: for {@link #status()}. */
    private String withoutUrl(String text) {
        return mask(text.replace(url, target.name()).replace(target.url(), target.name()));
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            long began = real.nanos();
            String why = null;
            try {
                pushOnce();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                why = String.valueOf(e.getMessage());
            }
            up = false;
            if (closed) {
                return;
            }
            failures = real.nanos() - began > HEALTHY.toNanos() ? 1 : failures + 1;
            Duration wait = RECONNECT.delay(failures);
            if (why != null) {
                lastError = withoutUrl(why);
                log.warn("push {}: {}; reconnecting in {} ms", label(), mask(why), wait.toMillis());
            }
            try {
                synchronized (lock) {
                    if (!closed) {
                        lock.wait(Math.max(1, wait.toMillis()));
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pushOnce() throws Exception {
        StringBuilder lastLine = new StringBuilder();
        ChildProcess p = ChildProcess.start(
                List.of(
                        ffmpeg.toString(),
                        "-hide_banner",
                        "-nostdin",
                        "-loglevel",
                        "error",
                        "-f",
                        "mpegts",
                        "-i",
                        "pipe:0",
                        "-map",
                        "0",
                        "-c",
                        "copy",
                        "-f",
                        "flv",
                        "-flvflags",
                        "no_duration_filesize",
                        // ends a connect, handshake, read or write that hangs (a tarpit, a target that stopped)
                        "-rw_timeout",
                        Long.toString(STALL.toNanos() / 1000),
                        url),
                "push-" + target.name(),
                line -> heard(line, lastLine),
                null);
        synchronized (lock) {
            if (closed) {
                p.terminate(Duration.ZERO);
                return;
            }
            process = p;
        }
        starts++;
        lastStart = Instant.now();
        log.info("push {}: streaming to {}", label(), mask(url));
        Watchdog watchdog = new Watchdog(p);
        IOException writeFailure = null;
        Thread watching = Thread.ofVirtual()
                .name("push-watchdog-" + channel.config().id() + "-" + target.name())
                .start(watchdog);
        try {
            OutputStream in = p.stdin();
            SegmentFeed feed = new SegmentFeed(channel);
            while (!closed && p.isAlive()) {
                switch (feed.poll()) {
                    case SegmentFeed.Wait w -> {
                        if (w.duration().toMillis() > 0) {
                            synchronized (lock) {
                                if (!closed) {
                                    lock.wait(w.duration().toMillis());
                                }
                            }
                        }
                    }
                    case SegmentFeed.Segment segment -> {
                        writingSince = real.nanos();
                        try {
                            in.write(segment.bytes());
                            in.flush();
                        } finally {
                            writingSince = IDLE;
                        }
                        up = true;
                    }
                }
            }
        } catch (IOException e) {
            // ffmpeg went away under the write (it gave up on the target, or the watchdog ended it):
            // what it said, or the watchdog's reason, says more than the broken pipe
            writeFailure = e;
        } finally {
            up = false;
            watching.interrupt();
            p.stop(STOP_GRACE);
            p.awaitOutput(Duration.ofSeconds(2));
        }
        if (!closed) {
            String why;
            synchronized (lastLine) {
                if (watchdog.fired) {
                    why = "the target took no data for " + STALL.toSeconds() + " s (stalled); ffmpeg was stopped";
                } else if (!lastLine.isEmpty()) {
                    why = lastLine.toString();
                } else if (writeFailure != null) {
                    why = "writing to ffmpeg failed: " + writeFailure.getMessage();
                } else {
                    why = "ffmpeg exited with " + p.exitValue();
                }
            }
            throw new IOException(why);
        }
    }

    /** Ends ffmpeg when a segment's write has hung for {@link #STALL}: the target stopped taking data. */
    private final class Watchdog implements Runnable {
        private final ChildProcess process;
        volatile boolean fired;

        Watchdog(ChildProcess process) {
            this.process = process;
        }

        @Override
        public void run() {
            try {
                while (process.isAlive()) {
                    Thread.sleep(WATCH_EVERY);
                    long since = writingSince;
                    if (since != IDLE && real.nanos() - since > STALL.toNanos()) {
                        fired = true;
                        up = false;
                        log.warn(
                                "push {}: the target took no data for {} s; stopping ffmpeg",
                                label(),
                                STALL.toSeconds());
                        process.terminate(STOP_GRACE);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the push ended
            }
        }
    }

    /** An ffmpeg error line, stream key masked: logged, and kept as the reason for a reconnect. */
    private void heard(String line, StringBuilder lastLine) {
        String masked = "ffmpeg: " + mask(line);
        log.debug("push {}: {}", label(), masked);
        synchronized (lastLine) {
            lastLine.setLength(0);
            lastLine.append(masked);
        }
    }

    /** Stops pushing: wakes the thread, ends ffmpeg, waits for both (bounded). Idempotent. */
    @Override
    public void close() {
        Thread t;
        ChildProcess p;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            t = thread;
            p = process;
        }
        if (p != null) {
            // breaks a write blocked on a server that stopped reading
            p.destroy();
        }
        if (t != null) {
            try {
                if (!t.join(Duration.ofSeconds(10))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (p != null) {
            p.close();
        }
    }
}
