package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import tv.latent.library.DataLayout;
import tv.latent.media.Captions;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * A channel's pre-cut clips: each master is cut once into segments in {@code hls/} beside it
 * (ffmpeg, stream copy), and the segment indexes in use are kept in memory.
 *
 * <p>A cut that fails is tried again after a backoff, not at once and not only after a restart;
 * after {@link #MAX_FAILURES} failures in a row the clip is given up. A cut found broken while
 * serving (a truncated or missing segment) is quarantined: its directory is removed so the next
 * airing decision cuts it again, once.
 *
 * <p>Thread-safe: at most one ffmpeg cut per channel at a time; the index cache holds at most
 * {@link #CACHED} clips (least recently used evicted); the failure table at most
 * {@link #FAILURES_KEPT} clips (oldest dropped, which only forgets a backoff).
 */
final class Cuts {
    static final int CACHED = 64;
    static final int FAILURES_KEPT = 1024;
    /** Cuts of one clip tried before it is given up. */
    static final int MAX_FAILURES = 4;

    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,18}\\.ts");
    private static final Backoff BACKOFF = Backoff.of(Duration.ofSeconds(5), Duration.ofMinutes(10));

    private final Segmenter segmenter;
    private final HouseFormat format;
    private final MonotonicClock monotonic;
    private final ReentrantLock cutting = new ReentrantLock();
    private final Map<Path, Segmenter.Clip> loaded = new LinkedHashMap<>(32, 0.75f, true);
    private final Map<Path, Failure> failures = new LinkedHashMap<>();
    private final Map<Path, List<Captions.Cue>> captions = new LinkedHashMap<>(32, 0.75f, true);

    /** Why the cuts of one master failed, how often, and when it may be tried again. */
    record Failure(int count, long retryAtNanos, String reason) {}

    Cuts(Ffmpeg ffmpeg, HouseFormat format, MonotonicClock monotonic) {
        this.segmenter = new Segmenter(ffmpeg);
        this.format = format;
        this.monotonic = monotonic;
    }

    /** The cut of {@code master}: from memory, from its index on disk, or made now with ffmpeg. */
    Segmenter.Clip cut(Path master, int frames) throws IOException, InterruptedException {
        Path dir = dirOf(master);
        Segmenter.Clip known = cached(dir);
        if (known != null) {
            return known;
        }
        Segmenter.Clip clip;
        cutting.lock(); // the scheduler and the precut may want the same clip
        try {
            clip = segmenter.segment(master, dir, format, frames);
        } finally {
            cutting.unlock();
        }
        check(clip);
        remember(dir, clip);
        return clip;
    }

    /**
     * The cut of {@code master} if it has been made, without running ffmpeg (the request path).
     *
     * @return null when it is not cut (quarantined, or removed)
     */
    Segmenter.Clip ready(Path master) throws IOException {
        Path dir = dirOf(master);
        Segmenter.Clip known = cached(dir);
        if (known != null) {
            return known;
        }
        Segmenter.Clip clip = Segmenter.load(dir);
        if (clip != null) {
            check(clip);
            remember(dir, clip);
        }
        return clip;
    }

    /** True when a cut of {@code master} may be tried now (it has not failed, or its backoff has passed). */
    synchronized boolean mayTry(Path master) {
        Failure failure = failures.get(master);
        return failure == null || monotonic.nanos() - failure.retryAtNanos() >= 0;
    }

    /**
     * Records a failed cut of {@code master}.
     *
     * @return the failures so far, in a row
     */
    synchronized Failure failed(Path master, String reason) {
        Failure before = failures.remove(master);
        int count = before == null ? 1 : before.count() + 1;
        Failure now =
                new Failure(count, monotonic.nanos() + BACKOFF.delay(count).toNanos(), reason);
        failures.put(master, now);
        while (failures.size() > FAILURES_KEPT) {
            failures.remove(failures.keySet().iterator().next());
        }
        return now;
    }

    synchronized void succeeded(Path master) {
        failures.remove(master);
    }

    /**
     * Removes a cut found broken while serving, so it is cut again; counts as a failure.
     *
     * @return the failures so far, in a row
     */
    Failure quarantine(Path master, String reason) {
        Path dir = dirOf(master);
        synchronized (loaded) {
            loaded.remove(dir);
        }
        cutting.lock();
        try {
            DataLayout.deleteTree(dir);
        } catch (IOException e) {
            reason = reason + "; removing the broken cut failed too: " + e.getMessage();
        } finally {
            cutting.unlock();
        }
        return failed(master, reason);
    }

    /**
     * The captions of {@code master} ({@link Captions#FILE} beside it), empty for a clip without
     * narration or the slate; read once and kept with the cut indexes (least recently used
     * evicted past {@link #CACHED}).
     */
    List<Captions.Cue> captions(Path master) throws IOException {
        synchronized (captions) {
            List<Captions.Cue> known = captions.get(master);
            if (known != null) {
                return known;
            }
        }
        List<Captions.Cue> read = Captions.read(master.resolveSibling(Captions.FILE));
        synchronized (captions) {
            captions.put(master, read);
            if (captions.size() > CACHED) {
                captions.remove(captions.keySet().iterator().next());
            }
        }
        return read;
    }

    private static Path dirOf(Path master) {
        return master.resolveSibling("hls");
    }

    private Segmenter.Clip cached(Path dir) {
        synchronized (loaded) {
            return loaded.get(dir);
        }
    }

    private void remember(Path dir, Segmenter.Clip clip) {
        synchronized (loaded) {
            loaded.put(dir, clip);
            if (loaded.size() > CACHED) {
                loaded.remove(loaded.keySet().iterator().next());
            }
        }
    }

    private static void check(Segmenter.Clip clip) throws IOException {
        for (Segmenter.Segment s : clip.segments()) {
            if (!SEGMENT_NAME.matcher(s.file()).matches()) {
                throw new IOException(
                        clip.dir() + ": segment index names " + s.file() + ", which is not a plain segment name");
            }
        }
    }
}
