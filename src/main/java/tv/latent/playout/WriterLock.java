package tv.latent.playout;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import tv.latent.library.Database;

/**
 * Who decides a channel's airings: one process at a time holds the channel's writer lock, and
 * writes its timeline through {@link #database()}; every other process follows that timeline and
 * tries the lock now and then, so it takes over when the holder ends. On one machine (SQLite) the
 * lock is a file the operating system locks ({@link FileWriterLock}); with several nodes on one
 * PostgreSQL database it is an advisory lock held by a session of its own, and the writes go
 * through that session, so a node whose session ended can write nothing more
 * ({@link AdvisoryWriterLock}).
 *
 * <p>Implementations are thread-safe; {@link #close()} is idempotent and frees the lock.
 */
interface WriterLock extends AutoCloseable {
    /** Takes the lock if it is free; true when this process holds it (now or already). */
    boolean tryAcquire() throws IOException, SQLException;

    /**
     * Whether this process still holds the lock it took (false once it is lost: the session that
     * held it ended). Cheap enough to ask before every round of the channel's writer.
     */
    boolean held();

    /** Where the holder writes the channel's timeline and programming. */
    Database database();

    /**
     * How long a channel may go without a writer when its holder dies and a follower takes over:
     * the writer decides airings at least this far ahead, so the timeline the followers serve runs
     * on through a handover. Zero where nobody else is expected to take over at once (one machine).
     */
    Duration handover();

    @Override
    void close();

    /** The writer lock of {@code channelId} as {@code db}'s engine keeps one. */
    static WriterLock of(Database db, String channelId, java.nio.file.Path channelDir) {
        return db.dialect() == Database.Dialect.POSTGRESQL
                ? new AdvisoryWriterLock(db, channelId)
                : new FileWriterLock(channelDir, db);
    }
}
