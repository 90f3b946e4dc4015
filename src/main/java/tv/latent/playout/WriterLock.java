package tv.latent.playout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who decides a channel's airings: the one process holding the lock file in the channel's
 * directory. The operating system frees the lock when that process ends, however it ends, so a
 * follower can take over from a writer killed with {@code kill -9}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and frees the lock.
 */
final class WriterLock implements AutoCloseable {
    private final Path file;
    private FileChannel channel;
    private FileLock lock;

    WriterLock(Path channelDir) {
        this.file = channelDir.resolve("writer.lock");
    }

    /** Takes the lock if it is free; true when this process holds it (now or already). */
    synchronized boolean tryAcquire() throws IOException {
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
}
