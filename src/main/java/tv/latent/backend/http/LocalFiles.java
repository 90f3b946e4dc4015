package tv.latent.backend.http;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Growing a download beside its target, moving it into place, cleaning up after a failed one. Stateless. */
public final class LocalFiles {
    private static final Logger log = LoggerFactory.getLogger(LocalFiles.class);

    private LocalFiles() {}

    /**
     * A new empty file beside {@code target} (in its directory, which must exist), hidden and named
     * after it, for a download to grow in until it is complete and moved over {@code target}.
     */
    public static Path temporaryNextTo(Path target) throws IOException {
        return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    }

    /** Moves {@code from} over {@code to}, atomically where the file system can. */
    public static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code file} if it exists; a failure is only logged. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}", file, e);
        }
    }
}
