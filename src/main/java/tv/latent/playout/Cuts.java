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
import tv.latent.storage.MediaStore;
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
 * <p>With a media store shared by several nodes, a cut is made once, by the channel's writer, and
 * shared ({@link #share}: the segments, then the index, so an index in the store means its
 * segments are there); any node reads a cut it lacks from the store (its index first, each
 * segment when first served), and cuts a master itself only when the store has no cut of it.
 *
 * <p>Thread-safe: at most one ffmpeg cut per channel at a time; the index cache holds at most
 * {@link #CACHED} clips (least recently used evicted); the failure table at most
 * {@link #FAILURES_KEPT} clips (oldest dropped, which only forgets a backoff); the set of cuts
 * known to be shared at most {@link #SHARED_KEPT} (oldest dropped, which only costs an upload).
 */
final class Cuts {
    static final int CACHED = 64;
    static final int FAILURES_KEPT = 1024;
    static final int SHARED_KEPT = 1024;
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
    private final Map<Path, Boolean> shared = new LinkedHashMap<>();
    private final MediaStore media;
    private final Path dataDir;
    private final Map<Path, List<Captions.Cue>> captions = new LinkedHashMap<>(32, 0.75f, true);

    /** Why the cuts of one master failed, how often, and when it may be tried again. */
    record Failure(int count, long retryAtNanos, String reason) {}

    Cuts(Ffmpeg ffmpeg, HouseFormat format, MonotonicClock monotonic) {
        this(ffmpeg, format, monotonic, MediaStore.local(), Path.of("/"));
    }

    /** Cuts shared through {@code media}, whose keys are paths relative to {@code dataDir}. */
    Cuts(Ffmpeg ffmpeg, HouseFormat format, MonotonicClock monotonic, MediaStore media, Path dataDir) {
        this.segmenter = new Segmenter(ffmpeg);
        this.format = format;
        this.monotonic = monotonic;
        this.media = media;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * The cut of {@code master}: from memory, from its index on disk or in the store, or made now
     * with ffmpeg (the master fetched from the store first when this node lacks it).
     */
    Segmenter.Clip cut(Path master, int frames) throws IOException, InterruptedException {
        Path dir = dirOf(master);
        Segmenter.Clip known = cached(dir);
        if (known != null) {
            return known;
        }
        Segmenter.Clip clip;
        cutting.lock(); // the scheduler and the precut may want the same clip
        try {
            // under the lock: a cut this process is making is never read half made; alone, a master is
            // cut again whatever its directory holds, as always
            clip = media.isLocal() ? null : fromStore(dir);
            if (clip == null) {
                String masterKey = media.isLocal() ? null : key(master);
                if (masterKey != null && !media.fetch(masterKey, master)) {
                    throw new java.nio.file.NoSuchFileException(
                            master.toString(), null, "neither here nor in " + media);
                }
                clip = segmenter.segment(master, dir, format, frames);
            }
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
        Segmenter.Clip clip = fromStore(dir);
        if (clip != null) {
            check(clip);
            remember(dir, clip);
        }
        return clip;
    }

    /** The cut in {@code dir} on this node, or its index fetched from the store; null when neither has it. */
    private Segmenter.Clip fromStore(Path dir) throws IOException {
        Segmenter.Clip clip = Segmenter.load(dir);
        if (clip != null || media.isLocal()) {
            return clip;
        }
        String key = key(dir.resolve(Segmenter.INDEX));
        if (key != null && media.fetch(key, dir.resolve(Segmenter.INDEX))) {
            return Segmenter.load(dir);
        }
        return null;
    }

    /** A segment's bytes as cut, fetched from the store when this node does not have them yet. */
    byte[] read(Segmenter.Clip clip, int index) throws IOException {
        Path file = clip.dir().resolve(clip.segments().get(index).file());
        String key = media.isLocal() ? null : key(file);
        if (key != null && !media.fetch(key, file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "neither here nor in " + media);
        }
        return clip.read(index);
    }

    /**
     * Puts a cut in the store, so that every node can serve it: its segments, then its index. One
     * bounded try (the scheduler calls it); remembered once done.
     *
     * @return true when the cut is in the store (always, without one)
     */
    boolean share(Segmenter.Clip clip) {
        if (media.isLocal()) {
            return true;
        }
        synchronized (shared) {
            if (shared.containsKey(clip.dir())) {
                return true;
            }
        }
        for (Segmenter.Segment segment : clip.segments()) {
            Path file = clip.dir().resolve(segment.file());
            String key = key(file);
            if (key == null) {
                return true; // not under the data directory: this node's own (a tool's, a test's)
            }
            if (!media.tryStore(key, file)) {
                return false;
            }
        }
        Path index = clip.dir().resolve(Segmenter.INDEX);
        if (!media.tryStore(key(index), index)) {
            return false;
        }
        synchronized (shared) {
            shared.put(clip.dir(), Boolean.TRUE);
            while (shared.size() > SHARED_KEPT) {
                shared.remove(shared.keySet().iterator().next());
            }
        }
        return true;
    }

    /** Fetches the whole cut of {@code master} ahead of its airing (a follower), when the store has it. */
    void prefetch(Path master) throws IOException {
        Segmenter.Clip clip = ready(master);
        if (clip == null || media.isLocal()) {
            return;
        }
        for (int i = 0; i < clip.segments().size(); i++) {
            Path file = clip.dir().resolve(clip.segments().get(i).file());
            String key = key(file);
            if (key != null) {
                media.fetch(key, file);
            }
        }
    }

    /** The store's key of a file under the data directory; null for one elsewhere (never shared). */
    private String key(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(dataDir) && !absolute.equals(dataDir)
                ? dataDir.relativize(absolute).toString()
                : null;
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
        synchronized (shared) {
            shared.remove(dir);
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
