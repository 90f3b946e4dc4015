package tv.latent.playout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import tv.latent.library.Database;

/**
 * The writer of a channel on one machine (SQLite): the one process holding the lock file in the
 * channel's directory. The operating system frees the lock when that process ends, however it
 * ends, so a follower can take over from a writer killed with {@code kill -9}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and frees the lock.
 */
final class FileWriterLock implements WriterLock {
    private final Path file;
    private final Database db;
    private FileChannel channel;
    private FileLock lock;

    FileWriterLock(Path channelDir, Database db) {
        this.file = channelDir.resolve("writer.lock");
        this.db = db;
    }

    @Override
    public synchronized boolean tryAcquire() throws IOException {
        if (lock != null) {
            return true;
        }
        Files.createDirectories(file.getParent());
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken = null;
        try {
            taken = opened.tryLock();
        } catch (OverlappingFileLockException e) {
            // another Playout of this same process holds it: it is the writer
        } finally {
            if (taken == null) {
                opened.close();
            }
        }
        if (taken == null) {
            return false;
        }
        channel = opened;
        lock = taken;
        return true;
    }

    /** The operating system holds the lock for as long as this process lives. */
    @Override
    public synchronized boolean held() {
        return lock != null;
    }

    @Override
    public Database database() {
        return db;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
        channel = null;
        lock = null;
    }

    /** On one machine a second origin on the same data is a spare: a handover may show as a short break. */
    @Override
    public Duration handover() {
        return Duration.ZERO;
    }
}
