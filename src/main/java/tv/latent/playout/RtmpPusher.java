package tv.latent.playout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.media.ChildProcess;
import tv.latent.time.MonotonicClock;

/**
 * Pushes one channel to one RTMP target: one ffmpeg that copies MPEG-TS from its standard input
 * to FLV, fed with the channel's re-stamped segments as their wall-clock start comes, from the
 * live point on. Timestamps are continuous across clip joins because the segments are.
 *
 * <p>When ffmpeg exits or a write fails (the server went away), the pusher waits 1 s, 2 s, 4 s …
 * (at most 30 s) and starts again at the live point. The stream key never appears in logs.
 *
 * <p>Runs on its own virtual thread; ffmpeg is a {@link ChildProcess} whose error lines go to the
 * debug log. {@link #close()} stops both, bounded.
 */
final class RtmpPusher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpPusher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long ffmpeg may take to finish once its input is closed, and again after SIGTERM. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** A push that ran this long resets the backoff. */
    private static final Duration HEALTHY = Duration.ofSeconds(30);

    private final ChannelPlayout channel;
    private final PushTarget target;
    private final String url;
    private final String key;
    private final Path ffmpeg;
    private final MonotonicClock clock;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile int starts;
    private volatile Instant lastStart = Instant.EPOCH;
    private Thread thread;
    private ChildProcess process;

    RtmpPusher(ChannelPlayout channel, PushTarget target, Path ffmpeg, MonotonicClock clock) {
        this.channel = channel;
        this.target = target;
        this.key = target.streamKey();
        this.url = target.publishUrl();
        this.ffmpeg = ffmpeg;
        this.clock = clock;
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

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (!closed) {
            long began = clock.nanos();
            try {
                pushOnce();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                log.warn(
                        "push {}: {}; reconnecting in {} s",
                        label(),
                        mask(String.valueOf(e.getMessage())),
                        backoff.toSeconds());
            }
            if (clock.nanos() - began > HEALTHY.toNanos()) {
                backoff = Duration.ofSeconds(1);
            }
            try {
                synchronized (lock) {
                    if (!closed) {
                        lock.wait(backoff.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void pushOnce() throws Exception {
        StringBuilder lastError = new StringBuilder();
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
                        url),
                "push-" + target.name(),
                line -> heard(line, lastError),
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
                        in.write(segment.bytes());
                        in.flush();
                    }
                }
            }
        } finally {
            p.stop(STOP_GRACE);
            p.awaitOutput(Duration.ofSeconds(2));
        }
        if (!closed) {
            String why;
            synchronized (lastError) {
                why = lastError.isEmpty() ? "ffmpeg exited with " + p.exitValue() : lastError.toString();
            }
            throw new IOException(why);
        }
    }

    /** An ffmpeg error line, stream key masked: logged, and kept as the reason for a reconnect. */
    private void heard(String line, StringBuilder lastError) {
        String masked = "ffmpeg: " + mask(line);
        log.debug("push {}: {}", label(), masked);
        synchronized (lastError) {
            lastError.setLength(0);
            lastError.append(masked);
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
