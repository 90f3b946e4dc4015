package tv.latent.retention;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.LatentConfig;
import tv.latent.time.MonotonicClock;

/**
 * The disk-space guard: when the data directory's disk runs low, generation pauses (the pipeline
 * starts no stage, the lookahead asks for no shot) while playout airs on with reruns; when space
 * is back, generation resumes by itself. It pauses below the threshold (the larger of {@code
 * minFreeGb} and {@code minFreePercent} of the disk) and resumes only once free space is a margin
 * above it, so a disk hovering at the line does not flap. Each change is logged once.
 *
 * <pre>{@code
 * DiskGuard guard = new DiskGuard(config.diskGuard(), DiskGuard.spaceOf(layout.root()));
 * Pipeline pipeline = new Pipeline(..., guard::paused);
 * guard.start();                     // looks at the disk every diskGuard.checkSeconds
 * guard.pausedReason();              // "low disk space: ..." while paused, for the API
 * }</pre>
 *
 * <p>Thread-safe: {@link #paused()} reads a volatile field and may be called as often as wanted;
 * {@link #check()} may run on any thread. {@link #close()} is idempotent.
 */
public final class DiskGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

    /** Free space must climb this far above the threshold before generation resumes, at least. */
    static final long MIN_RESUME_MARGIN = 256L << 20;

    private final LatentConfig.DiskGuard settings;
    private final Space space;
    private final MonotonicClock monotonic;
    private final List<Runnable> pauseListeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile String pausedReason;
    private volatile long bytesFree = -1;
    private volatile long bytesTotal = -1;
    private boolean probeFailing;
    private Thread thread;
    private boolean closed;

    /** How big the disk holding the data directory is, and how much of it is free. Implementations are thread-safe. */
    public interface Space {
        /** Bytes this process may still write. */
        long freeBytes() throws IOException;

        /** Bytes the disk holds in all. */
        long totalBytes() throws IOException;
    }

    /** The disk holding {@code dir}, as the operating system reports it. */
    public static Space spaceOf(Path dir) {
        return new Space() {
            @Override
            public long freeBytes() throws IOException {
                return store().getUsableSpace();
            }

            @Override
            public long totalBytes() throws IOException {
                return store().getTotalSpace();
            }

            private FileStore store() throws IOException {
                return Files.getFileStore(dir);
            }
        };
    }

    public DiskGuard(LatentConfig.DiskGuard settings, Space space) {
        this(settings, space, MonotonicClock.system());
    }

    /** A guard whose looks at the disk are {@code checkSeconds} apart on {@code monotonic}. */
    public DiskGuard(LatentConfig.DiskGuard settings, Space space, MonotonicClock monotonic) {
        this.settings = settings;
        this.space = space;
        this.monotonic = monotonic;
    }

    /** The disk it looks at. */
    Space space() {
        return space;
    }

    /** Runs {@code listener} (on the checking thread) each time generation pauses; it must be quick. */
    public void onPause(Runnable listener) {
        pauseListeners.add(listener);
    }

    /** Starts looking at the disk every {@code checkSeconds}, on a virtual thread, after a first look now. */
    public void start() {
        synchronized (lifecycle) {
            if (thread != null || closed) {
                return;
            }
            check();
            thread = Thread.ofVirtual().name("disk-guard").start(this::loop);
        }
    }

    private void loop() {
        while (true) {
            try {
                monotonic.sleep(settings.every());
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    /**
     * Looks at the disk once and pauses or resumes generation. A disk that cannot be looked at
     * changes nothing (it is logged once until it can be again).
     */
    public synchronized void check() {
        long free;
        long total;
        try {
            free = space.freeBytes();
            total = space.totalBytes();
            if (probeFailing) {
                LOG.info("disk guard: free space can be read again");
                probeFailing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!probeFailing) {
                LOG.warn("disk guard: cannot read the free space of the data directory's disk: {}", e.toString());
                probeFailing = true;
            }
            return;
        }
        bytesFree = free;
        bytesTotal = total;
        long threshold = threshold(total);
        boolean wasPaused = pausedReason != null;
        if (!wasPaused && free < threshold) {
            pausedReason = String.format(
                    Locale.ROOT,
                    "low disk space: %s free, at least %s needed; generation resumes at %s free",
                    size(free),
                    size(threshold),
                    size(resumeAt(threshold)));
            LOG.warn("generation paused ({}); the channels keep airing what the library holds", pausedReason);
            pauseListeners.forEach(Runnable::run);
        } else if (wasPaused && free >= resumeAt(threshold)) {
            pausedReason = null;
            LOG.info("generation resumed: {} free on the data directory's disk", size(free));
        }
    }

    /** The free bytes below which generation pauses, on a disk of {@code totalBytes}. */
    long threshold(long totalBytes) {
        long share = (long) (totalBytes * settings.minFreePercent() / 100);
        return Math.max(settings.minFreeBytes(), share);
    }

    /** The threshold as of the last look at the disk ({@code minFreeGb} alone before the first). */
    public long thresholdBytes() {
        long total = bytesTotal;
        return total < 0 ? settings.minFreeBytes() : threshold(total);
    }

    private static long resumeAt(long threshold) {
        return threshold == 0 ? 0 : threshold + Math.max(MIN_RESUME_MARGIN, threshold / 10);
    }

    /** True while generation is paused for lack of disk space. */
    public boolean paused() {
        return pausedReason != null;
    }

    /** Why generation is paused (no paths: fit for the API), or empty when it is not. */
    public Optional<String> pausedReason() {
        return Optional.ofNullable(pausedReason);
    }

    /** Free bytes on the data directory's disk at the last look; -1 before the first (for metrics). */
    public long bytesFree() {
        return bytesFree;
    }

    /** Bytes as the logs, the API and the CLI write them: GB (2^30 bytes, as df counts), MB or KB. */
    public static String size(long bytes) {
        if (Math.abs(bytes) >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
        }
        if (Math.abs(bytes) >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%d KB", (bytes + 1023) / 1024);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
