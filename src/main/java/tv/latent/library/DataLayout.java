package tv.latent.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where things live under the data directory. Every path LatentTV reads or writes is made here
 * from ids it checks, so a name from outside can never point outside the data directory.
 *
 * <pre>
 * data/latenttv.db
 * data/work/{jobId}/            stage outputs, kept until the clip is mastered
 * data/clips/{channel}/{clip}/  master.mp4, thumb.jpg (and hls/ segments)
 * data/channels/{channel}/      playout state
 * data/tmp/                     files being written, moved into place when complete
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public record DataLayout(Path root) {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public DataLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** Creates the directories and checks that the data directory can be written. */
    public DataLayout prepare() throws IOException {
        try {
            for (Path dir : new Path[] {
                root, root.resolve("work"), root.resolve("clips"), root.resolve("channels"), root.resolve("tmp")
            }) {
                Files.createDirectories(dir);
            }
            Path probe = root.resolve("tmp").resolve(".write-check");
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("the data directory " + root + " is not writable: " + e, e);
        }
        return this;
    }

    public Path database() {
        return root.resolve("latenttv.db");
    }

    public Path work(String jobId) {
        return root.resolve("work").resolve(check(jobId));
    }

    public Path clip(String channelId, String clipId) {
        return root.resolve("clips").resolve(check(channelId)).resolve(check(clipId));
    }

    public Path channel(String channelId) {
        return root.resolve("channels").resolve(check(channelId));
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** The path relative to the data directory, as stored in the database. */
    public String relative(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            throw new IllegalArgumentException(file + " is outside the data directory " + root);
        }
        return root.relativize(absolute).toString();
    }

    /** Resolves a stored relative path, refusing anything that escapes the data directory. */
    public Path resolve(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || Path.of(relative).isAbsolute()) {
            throw new IllegalArgumentException("'" + relative + "' is outside the data directory");
        }
        return resolved;
    }

    /** Checks that an id is safe as one path element. */
    public static String check(String id) {
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a valid id: '" + id + "'");
        }
        return id;
    }

    /** Moves a finished file or directory into place in one step; replaces what was there. */
    public static void moveIntoPlace(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        if (Files.isDirectory(to)) {
            deleteTree(to);
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a directory tree (or a file) if it exists.
     *
     * @return the bytes of the regular files it deleted
     */
    public static long deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long bytes = 0;
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause(); // something in it went while it was listed
        }
        for (Path p : all) {
            try {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes += Files.size(p);
                }
            } catch (NoSuchFileException e) {
                continue; // gone meanwhile
            }
            Files.deleteIfExists(p);
        }
        return bytes;
    }
}
