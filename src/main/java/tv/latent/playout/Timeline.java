package tv.latent.playout;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tv.latent.library.Database;

/**
 * The persisted timeline of one channel: its epoch and its airings, the recent ones also kept
 * in memory so that playlists are rendered without touching the database.
 *
 * <p>Not thread-safe: {@link ChannelPlayout} guards it with its lock.
 */
final class Timeline {
    /** Airings kept in memory: far more than a playlist window spans. */
    private static final int KEPT_IN_MEMORY = 48;

    private final Database db;
    private final String channelId;
    private final Instant epoch;
    private final Deque<Airing> recent = new ArrayDeque<>();
    private final Map<String, Long> lastAired = new HashMap<>();

    private Timeline(Database db, String channelId, Instant epoch) {
        this.db = db;
        this.channelId = channelId;
        this.epoch = epoch;
    }

    /** Loads the channel's timeline, creating it with its epoch at {@code now} on first use. */
    static Timeline open(Database db, String channelId, Instant now) throws SQLException {
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
                s.setLong(2, now.toEpochMilli());
                s.executeUpdate();
            }
            return now.toEpochMilli();
        });
        Timeline timeline = new Timeline(db, channelId, Instant.ofEpochMilli(epochMs));
        timeline.load();
        return timeline;
    }

    private void load() throws SQLException {
        List<Airing> latest = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? ORDER BY first_media_sequence DESC LIMIT "
                            + KEPT_IN_MEMORY)) {
                s.setString(1, channelId);
                return airings(s);
            }
        });
        for (Airing a : latest.reversed()) {
            recent.addLast(a);
        }
        db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT clip_id, last_start_ticks FROM playout_clip_history WHERE channel_id = ?")) {
                s.setString(1, channelId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        lastAired.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            return null;
        });
    }

    Instant epoch() {
        return epoch;
    }

    /** 90 kHz ticks from the epoch to {@code t}. */
    long ticks(Instant t) {
        return Math.multiplyExact(t.toEpochMilli() - epoch.toEpochMilli(), 90L);
    }

    /** The wall instant of a tick count. */
    Instant instant(long ticks) {
        return epoch.plusNanos(Math.multiplyExact(ticks, 100_000L) / 9L);
    }

    Optional<Airing> last() {
        return Optional.ofNullable(recent.peekLast());
    }

    /** Airings in memory, oldest first. */
    List<Airing> recent() {
        return List.copyOf(recent);
    }

    /** Clip id → start ticks of its latest airing on this channel. */
    Map<String, Long> lastAired() {
        return Map.copyOf(lastAired);
    }

    /** Persists {@code airing} (and its clip's history) and appends it. */
    void append(Airing airing) throws SQLException {
        db.write(c -> {
            insert(c, airing);
            if (airing.clipId().isPresent()) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO playout_clip_history (channel_id, clip_id, last_start_ticks, airings) VALUES (?, ?, ?, 1) "
                                + "ON CONFLICT (channel_id, clip_id) DO UPDATE SET last_start_ticks = excluded.last_start_ticks, airings = airings + 1")) {
                    s.setString(1, channelId);
                    s.setString(2, airing.clipId().get());
                    s.setLong(3, airing.startTicks());
                    s.executeUpdate();
                }
            }
            return null;
        });
        recent.addLast(airing);
        airing.clipId().ifPresent(id -> lastAired.put(id, airing.startTicks()));
        while (recent.size() > KEPT_IN_MEMORY) {
            recent.removeFirst();
        }
    }

    /** The airing that holds media sequence {@code sequence}, from memory or the database. */
    Optional<Airing> bySequence(long sequence) throws SQLException {
        for (var it = recent.descendingIterator(); it.hasNext(); ) {
            Airing a = it.next();
            if (a.holds(sequence)) {
                return Optional.of(a);
            }
            if (a.firstSequence() < sequence) {
                return Optional.empty();
            }
        }
        List<Airing> found = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM playout_airing WHERE channel_id = ? AND first_media_sequence <= ? "
                            + "ORDER BY first_media_sequence DESC LIMIT 1")) {
                s.setString(1, channelId);
                s.setLong(2, sequence);
                return airings(s);
            }
        });
        return found.stream().filter(a -> a.holds(sequence)).findFirst();
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
            s.setString(9, a.master().toString());
            s.setString(10, a.title());
            s.setString(11, a.prompt());
            s.setInt(12, a.fresh() ? 1 : 0);
            s.setString(13, Airing.renderCounters(a.counters()));
            s.executeUpdate();
        }
    }

    private static List<Airing> airings(PreparedStatement s) throws SQLException {
        List<Airing> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Airing(
                        r.getLong("first_media_sequence"),
                        r.getLong("start_ticks"),
                        r.getInt("frames"),
                        r.getInt("segments"),
                        r.getInt("discontinuity") != 0,
                        r.getLong("discontinuity_sequence"),
                        Optional.ofNullable(r.getString("clip_id")),
                        Path.of(r.getString("master")),
                        r.getString("title"),
                        r.getString("prompt"),
                        r.getInt("fresh") != 0,
                        Airing.parseCounters(r.getString("counters"))));
            }
        }
        return out;
    }
}
