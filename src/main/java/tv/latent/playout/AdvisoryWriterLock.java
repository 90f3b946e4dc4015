package tv.latent.playout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;

/**
 * The writer of a channel among several nodes on one PostgreSQL database: a session-level
 * advisory lock ({@code pg_try_advisory_lock}), keyed by the channel, held by a session of this
 * node's own ({@link Database#pinned()}), which is also where the holder writes the channel's
 * timeline. When the node dies, its connection closes and the server frees the lock at once (a
 * node cut off is noticed by keepalives within half a minute); a follower takes it at its next
 * try. A holder whose session ended fails its next write, and {@link #held()} says so before its
 * next round.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and ends the session, which frees the lock.
 */
final class AdvisoryWriterLock implements WriterLock {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryWriterLock.class);
    private static final Duration CHECK = Duration.ofSeconds(2);
    /**
     * A dead node's lock is free when PostgreSQL sees its connection close; a follower tries it
     * every {@link ChannelPlayout#TAKEOVER_EVERY} and then opens the timeline: ten seconds covers
     * that several times over on a loaded machine.
     */
    static final Duration HANDOVER = Duration.ofSeconds(10);

    private final Database db;
    private final String channelId;
    private final long key;
    private Database session;
    private boolean holding;

    AdvisoryWriterLock(Database db, String channelId) {
        this.db = db;
        this.channelId = channelId;
        this.key = key(channelId);
    }

    /** The lock's 64-bit key: LatentTV's and this channel's, unlike any other application's. */
    static long key(String channelId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("latenttv channel writer\n" + channelId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized boolean tryAcquire() throws SQLException {
        if (holding && session != null && session.answers(CHECK)) {
            return true;
        }
        if (holding) {
            LOG.warn("channel {}: the session that held its writer lock ended", channelId);
            drop();
        }
        if (session == null) {
            session = db.pinned();
        }
        try {
            holding = session.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() && r.getBoolean(1);
                    }
                }
            });
        } catch (SQLException e) {
            drop(); // a session that failed is not trusted again: a new one next time
            throw e;
        }
        return holding;
    }

    @Override
    public synchronized boolean held() {
        if (!holding || session == null) {
            return false;
        }
        if (!session.answers(CHECK)) {
            holding = false;
            return false;
        }
        return true;
    }

    @Override
    public synchronized Database database() {
        if (!holding || session == null) {
            throw new IllegalStateException("channel " + channelId + ": this node does not hold its writer lock");
        }
        return session;
    }

    private void drop() {
        holding = false;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }

    @Override
    public Duration handover() {
        return HANDOVER;
    }
}
