package tv.latent.playout;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tv.latent.library.Database;

/**
 * The persisted timeline of one channel: its epoch and its airings (the SQL of
 * {@code playout_channel} and {@code playout_airing}), the recent airings also kept in memory.
 *
 * <p>Not thread-safe: confined to the channel's thread, which alone writes it (or, in a follower,
 * alone refreshes it); requests read the {@link OnAir} snapshots it gives.
 */
final class Timeline {
    /** Airings kept in memory: far more than a playlist window spans. */
    static final int KEPT_IN_MEMORY = 48;

    private final Database db;
    private final String channelId;
    private final Path dataDir;
    private long epochMs;
    private final Deque<Airing> recent = new ArrayDeque<>();

    private Timeline(Database db, String channelId, long epochMs, Path dataDir) {
        this.db = db;
        this.channelId = channelId;
        this.epochMs = epochMs;
        this.dataDir = dataDir;
    }

    /**
     * Loads the channel's timeline, creating it with its epoch at {@code nowMs} on first use. Masters
     * under {@code dataDir} are stored relative to it, so nodes with data directories of their own
     * read the same timeline.
     */
    static Timeline open(Database db, String channelId, long nowMs, Path dataDir) throws SQLException {
        long epochMs = db.write(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT epoch_ms FROM playout_channel WHERE channel_id = ?")) {
                s.setString(1, channelId);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return r.getLong(1);
                    }
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO playout_channel (channel_id, epoch_ms) VALUES (?, ?)")) {
                s.setString(1, channelId);
                s.setLong(2, nowMs);
                s.executeUpdate();
            }
            return nowMs;
        });
        Timeline timeline = new Timeline(db, channelId, epochMs, dataDir);
        timeline.recent.addAll(timeline.latest(KEPT_IN_MEMORY).reversed());
        return timeline;
    }

    /**
     * The timeline as another process writes it, for a follower: nothing is created; empty until
     * the writer has opened the channel.
     */
    static Optional<Timeline> follow(Database db, String channelId, Path dataDir) throws SQLException {
        Optional<Long> epoch = db.read(c -> readEpoch(c, channelId));
        if (epoch.isEmpty()) {
            return Optional.empty();
        }
        Timeline timeline = new Timeline(db, channelId, epoch.get(), dataDir);
        timeline.recent.addAll(timeline.latest(KEPT_IN_MEMORY).reversed());
        return Optional.of(timeline);
    }

    private static Optional<Long> readEpoch(Connection c, String channelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT epoch_ms FROM playout_channel WHERE channel_id = ?")) {
            s.setString(1, channelId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    private List<Airing> latest(int count) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? ORDER BY first_media_sequence DESC LIMIT ?")) {
                s.setString(1, channelId);
                s.setInt(2, count);
                return airings(s, dataDir);
            }
        });
    }

    long epochMs() {
        return epochMs;
    }

    /** Stores a new epoch: the wall clock stepped, and the same ticks now stand for other instants. */
    void saveEpoch(long newEpochMs) throws SQLException {
        db.write(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE playout_channel SET epoch_ms = ? WHERE channel_id = ?")) {
                s.setLong(1, newEpochMs);
                s.setString(2, channelId);
                return s.executeUpdate();
            }
        });
        epochMs = newEpochMs;
    }

    Optional<Airing> last() {
        return Optional.ofNullable(recent.peekLast());
    }

    /** Airings in memory, oldest first. */
    List<Airing> recent() {
        return List.copyOf(recent);
    }

    /** Persists {@code airing}, with what else the same transaction must record, and appends it. */
    void append(Airing airing, Database.SqlFunction<?> alsoInTransaction) throws SQLException {
        db.write(c -> {
            insert(c, airing);
            return alsoInTransaction.apply(c);
        });
        remember(airing);
    }

    private void remember(Airing airing) {
        recent.addLast(airing);
        while (recent.size() > KEPT_IN_MEMORY) {
            recent.removeFirst();
        }
    }

    /**
     * A follower's refresh: takes in the airings and the epoch as the writer stored them (the
     * newest {@link #KEPT_IN_MEMORY}, read again each time: the writer may also have cut an airing
     * short or dropped airings not yet on air). One read by primary key.
     *
     * @return true when anything changed
     */
    boolean refresh() throws SQLException {
        record Read(Optional<Long> epoch, List<Airing> airings) {}
        Read read = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? ORDER BY first_media_sequence DESC LIMIT ?")) {
                s.setString(1, channelId);
                s.setInt(2, KEPT_IN_MEMORY);
                return new Read(readEpoch(c, channelId), airings(s, dataDir));
            }
        });
        List<Airing> latest = read.airings().reversed();
        boolean changed = !latest.equals(List.copyOf(recent));
        if (changed) {
            recent.clear();
            recent.addAll(latest);
        }
        if (read.epoch().isPresent() && read.epoch().get() != epochMs) {
            epochMs = read.epoch().get();
            changed = true;
        }
        return changed;
    }

    /**
     * Cuts {@code airing} short to its first {@code keptSegments} segments and forgets every airing
     * decided after it (none of them has started), in one transaction.
     */
    void truncate(Airing airing, int keptSegments, int keptFrames, Undo undo) throws SQLException {
        Airing cut = airing.truncated(keptSegments, keptFrames);
        List<Airing> dropped = after(airing.firstSequence());
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE playout_airing SET frames = ?, segments = ? WHERE channel_id = ? AND first_media_sequence = ?")) {
                s.setInt(1, keptFrames);
                s.setInt(2, keptSegments);
                s.setString(3, channelId);
                s.setLong(4, airing.firstSequence());
                s.executeUpdate();
            }
            dropAfter(c, airing.firstSequence());
            for (Airing a : dropped) {
                undo.unaired(c, a);
            }
            return null;
        });
        while (!recent.isEmpty() && recent.peekLast().firstSequence() >= airing.firstSequence()) {
            recent.removeLast();
        }
        recent.addLast(cut);
    }

    /** What else a transaction that drops decided airings must undo (their clips' bookkeeping). */
    @FunctionalInterface
    interface Undo {
        void unaired(Connection c, Airing dropped) throws SQLException;
    }

    private List<Airing> after(long sequence) {
        return recent.stream().filter(a -> a.firstSequence() > sequence).toList();
    }

    /** Forgets the airings from {@code airing} on (none of them has started), in one transaction. */
    void dropFrom(Airing airing, Undo undo) throws SQLException {
        List<Airing> dropped = after(airing.firstSequence() - 1);
        db.write(c -> {
            dropAfter(c, airing.firstSequence() - 1);
            for (Airing a : dropped) {
                undo.unaired(c, a);
            }
            return null;
        });
        while (!recent.isEmpty() && recent.peekLast().firstSequence() >= airing.firstSequence()) {
            recent.removeLast();
        }
    }

    private void dropAfter(Connection c, long sequence) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM playout_airing WHERE channel_id = ? AND first_media_sequence > ?")) {
            s.setString(1, channelId);
            s.setLong(2, sequence);
            s.executeUpdate();
        }
    }

    /** The airing that holds media sequence {@code sequence}, from the database (for segments older than memory). */
    Optional<Airing> stored(long sequence) throws SQLException {
        return find(db, channelId, sequence, dataDir);
    }

    static Optional<Airing> find(Database db, String channelId, long sequence, Path dataDir) throws SQLException {
        List<Airing> found = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? AND first_media_sequence <= ? "
                            + "ORDER BY first_media_sequence DESC LIMIT 1")) {
                s.setString(1, channelId);
                s.setLong(2, sequence);
                return airings(s, dataDir);
            }
        });
        return found.stream().filter(a -> a.holds(sequence)).findFirst();
    }

    /**
     * The channel's airings that end after {@code sinceTicks} and start at or before
     * {@code untilTicks}, newest first: read backwards by primary key, stopping at the first that
     * ended before {@code sinceTicks} (airings follow each other, so no older one ends later).
     */
    static List<Airing> between(Database db, String channelId, long sinceTicks, long untilTicks, int ticksPerFrame)
            throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? ORDER BY first_media_sequence DESC")) {
                s.setString(1, channelId);
                List<Airing> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        // read for their times and titles: masters stay as stored
                        Airing a = airing(r, Path.of(""));
                        if (a.endTicks(ticksPerFrame) <= sinceTicks) {
                            break;
                        }
                        if (a.startTicks() <= untilTicks) {
                            out.add(a);
                        }
                    }
                }
                return out;
            }
        });
    }

    /** The epoch of a channel's timeline, if it has one. */
    static Optional<Long> epoch(Database db, String channelId) throws SQLException {
        return db.read(c -> readEpoch(c, channelId));
    }

    /**
     * The start (90 kHz ticks from the channel's epoch) of a clip's first and latest airing on a
     * channel, or empty when it never aired there: two lookups by index ({@code playout_airing_clip}).
     */
    static Optional<long[]> firstAndLatest(Database db, String channelId, String clipId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(start_ticks), MAX(start_ticks), COUNT(*)"
                    + " FROM playout_airing WHERE clip_id = ? AND channel_id = ?")) {
                s.setString(1, clipId);
                s.setString(2, channelId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || r.getLong(3) == 0) {
                        return Optional.empty();
                    }
                    return Optional.of(new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
                }
            }
        });
    }

    /** The clips of the channel's newest {@code count} airings: those on air, about to be, and just before. */
    static Set<String> recentClipIds(Connection c, String channelId, int count) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT clip_id FROM playout_airing WHERE channel_id = ? "
                + "ORDER BY first_media_sequence DESC LIMIT ?")) {
            s.setString(1, channelId);
            s.setInt(2, count);
            Set<String> out = new HashSet<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1) != null) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        }
    }

    /** Deletes airings that ended before {@code ticks}, keeping those still in memory. */
    int prune(long ticks, int ticksPerFrame) throws SQLException {
        Airing oldestKept = recent.peekFirst();
        if (oldestKept == null) {
            return 0;
        }
        long keepFrom = oldestKept.firstSequence();
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM playout_airing WHERE channel_id = ? AND first_media_sequence < ? AND start_ticks + frames * ? < ?")) {
                s.setString(1, channelId);
                s.setLong(2, keepFrom);
                s.setInt(3, ticksPerFrame);
                s.setLong(4, ticks);
                return s.executeUpdate();
            }
        });
    }

    private void insert(Connection c, Airing a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO playout_airing (channel_id, first_media_sequence, start_ticks, frames, segments, discontinuity, "
                        + "discontinuity_sequence, clip_id, master, title, prompt, fresh, counters) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, channelId);
            s.setLong(2, a.firstSequence());
            s.setLong(3, a.startTicks());
            s.setInt(4, a.frames());
            s.setInt(5, a.segments());
            s.setInt(6, a.discontinuity() ? 1 : 0);
            s.setLong(7, a.discontinuitySequence());
            s.setString(8, a.clipId().orElse(null));
            s.setString(9, stored(a.master(), dataDir));
            s.setString(10, a.title());
            s.setString(11, a.prompt());
            s.setInt(12, a.fresh() ? 1 : 0);
            s.setString(13, Airing.renderCounters(a.counters()));
            s.executeUpdate();
        }
    }

    /** A master as stored: relative to the data directory when under it (older rows hold absolute paths). */
    static String stored(Path master, Path dataDir) {
        Path absolute = master.toAbsolutePath().normalize();
        return absolute.startsWith(dataDir) ? dataDir.relativize(absolute).toString() : master.toString();
    }

    /** A stored master on this node: a relative one under this node's data directory. */
    static Path resolved(String stored, Path dataDir) {
        Path path = Path.of(stored);
        return path.isAbsolute() ? path : dataDir.resolve(path).normalize();
    }

    private static List<Airing> airings(PreparedStatement s, Path dataDir) throws SQLException {
        List<Airing> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(airing(r, dataDir));
            }
        }
        return out;
    }

    private static Airing airing(ResultSet r, Path dataDir) throws SQLException {
        return new Airing(
                r.getLong("first_media_sequence"),
                r.getLong("start_ticks"),
                r.getInt("frames"),
                r.getInt("segments"),
                r.getInt("discontinuity") != 0,
                r.getLong("discontinuity_sequence"),
                Optional.ofNullable(r.getString("clip_id")),
                resolved(r.getString("master"), dataDir),
                r.getString("title"),
                r.getString("prompt"),
                r.getInt("fresh") != 0,
                Airing.parseCounters(r.getString("counters")));
    }
}
