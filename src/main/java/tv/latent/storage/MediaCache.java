package tv.latent.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.time.MonotonicClock;

/**
 * This node's data directory as a bounded cache of a bucket: the clip directories it fetched or
 * made ({@code clips/{channel}/{clip}/}: master, thumbnail, segments) are kept while they are used,
 * and the least recently used go when they hold more than {@code maxBytes}. A clip directory used
 * in the last {@link #KEEP_RECENT} stays whatever the budget (what is on air, just mastered, or
 * being cut); anything evicted is fetched again when next asked for, since every clip a row names
 * is in the bucket.
 *
 * <pre>{@code
 * try (MediaCache media = new MediaCache(S3Store.open(settings), dataDir, 20L << 30)) {
 *   media.start();                                   // trims once a minute
 *   media.fetch("clips/tv/c1/hls/3.ts", local);      // counts as a use of clips/tv/c1
 * }
 * }</pre>
 *
 * <p>Thread-safe: uses are recorded in a map bounded by {@link #USES_KEPT} entries (the oldest
 * forgotten; a forgotten directory is as old as its last change on disk).
 */
public final class MediaCache implements MediaStore {
    private static final Logger LOG = LoggerFactory.getLogger(MediaCache.class);
    static final Duration KEEP_RECENT = Duration.ofMinutes(10);
    static final Duration TRIM_EVERY = Duration.ofMinutes(1);
    static final int USES_KEPT = 100_000;

    private final MediaStore store;
    private final Path root;
    private final long maxBytes;
    private final MonotonicClock monotonic = MonotonicClock.system();
    private final Map<Path, Long> lastUse = new LinkedHashMap<>(256, 0.75f, true);
    private final Object wake = new Object();
    private volatile boolean closed;
    private Thread trimmer;

    /**
     * @param store the bucket
     * @param dataDir this node's data directory
     * @param maxBytes clip directories kept on this node's disk, at most (beyond the recent ones)
     */
    public MediaCache(MediaStore store, Path dataDir, long maxBytes) {
        this.store = store;
        this.root = dataDir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /** Starts trimming once a minute (a virtual thread). Idempotent. */
    public synchronized void start() {
        if (trimmer == null && !closed) {
            trimmer = Thread.ofVirtual().name("media-cache").start(this::loop);
        }
    }

    private void loop() {
        while (!closed) {
            try {
                synchronized (wake) {
                    wake.wait(TRIM_EVERY.toMillis());
                }
                if (!closed) {
                    trim();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("trimming the media cache in {}: {}", root, e.toString());
            }
        }
    }

    /** Records a use of the clip directory that holds {@code key}'s file. */
    public void used(String key) {
        Path dir = clipDir(key);
        if (dir != null) {
            synchronized (lastUse) {
                lastUse.put(dir, monotonic.nanos());
                if (lastUse.size() > USES_KEPT) {
                    lastUse.remove(lastUse.keySet().iterator().next());
                }
            }
        }
    }

    /** {@code clips/{channel}/{clip}} of a key under it, else null. */
    private Path clipDir(String key) {
        String[] parts = key.split("/");
        if (parts.length < 4 || !parts[0].equals("clips")) {
            return null;
        }
        return root.resolve(parts[0]).resolve(parts[1]).resolve(parts[2]);
    }

    /**
     * Deletes the least recently used clip directories until those left hold at most
     * {@code maxBytes} (the recently used ones stay).
     *
     * @return the bytes freed
     */
    public long trim() throws IOException {
        record Dir(Path path, long bytes, long lastUseNanos) {}
        List<Dir> dirs = new ArrayList<>();
        long total = 0;
        long now = monotonic.nanos();
        Path clips = root.resolve("clips");
        if (!Files.isDirectory(clips)) {
            return 0;
        }
        for (Path channel : list(clips)) {
            for (Path clip : list(channel)) {
                if (!Files.isDirectory(clip, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long bytes = size(clip);
                total += bytes;
                Long used;
                synchronized (lastUse) {
                    used = lastUse.get(clip);
                }
                long last = used != null ? used : now - ageOnDisk(clip).toNanos();
                dirs.add(new Dir(clip, bytes, last));
            }
        }
        if (total <= maxBytes) {
            return 0;
        }
        dirs.sort(Comparator.comparingLong(Dir::lastUseNanos));
        long freed = 0;
        int evicted = 0;
        for (Dir d : dirs) {
            if (total - freed <= maxBytes) {
                break;
            }
            if (now - d.lastUseNanos() < KEEP_RECENT.toNanos()) {
                break; // the rest is in use
            }
            freed += deleteTree(d.path());
            evicted++;
            synchronized (lastUse) {
                lastUse.remove(d.path());
            }
        }
        if (evicted > 0) {
            LOG.info(
                    "media cache: {} clip directories ({} MB) left this node's disk; {} MB kept (budget {} MB)",
                    evicted,
                    freed >> 20,
                    (total - freed) >> 20,
                    maxBytes >> 20);
        }
        return freed;
    }

    private static Duration ageOnDisk(Path dir) {
        try {
            long modified = Files.getLastModifiedTime(dir).toMillis();
            return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - modified));
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(out::add);
        } catch (java.nio.file.NoSuchFileException e) {
            return out;
        }
        return out;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // gone meanwhile
                        }
                    })
                    .sum();
        } catch (java.io.UncheckedIOException e) {
            return 0; // changed while walked: counted at the next trim
        }
    }

    private static long deleteTree(Path dir) throws IOException {
        long bytes = size(dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.UncheckedIOException | java.nio.file.DirectoryNotEmptyException e) {
            // something was written into it meanwhile: it stays until the next trim
        }
        return bytes;
    }

    @Override
    public boolean isLocal() {
        return store.isLocal();
    }

    @Override
    public void store(String key, Path file) throws IOException, InterruptedException {
        used(key);
        store.store(key, file);
    }

    @Override
    public boolean tryStore(String key, Path file) {
        used(key);
        return store.tryStore(key, file);
    }

    @Override
    public boolean fetch(String key, Path local) throws IOException {
        used(key);
        return store.fetch(key, local);
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
        store.deleteAll(prefix);
    }

    @Override
    public java.util.Set<String> children(String folder) throws IOException {
        return store.children(folder);
    }

    @Override
    public boolean writable() {
        return store.writable();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = trimmer;
        }
        if (t != null) {
            t.interrupt();
        }
        store.close();
    }

    @Override
    public String toString() {
        return store + " (cached in " + root + ")";
    }
}
