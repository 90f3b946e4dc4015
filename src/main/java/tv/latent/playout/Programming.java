package tv.latent.playout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tv.latent.library.Database;

/**
 * What a channel may air and in which order: the SQL of {@code playout_clip}. Clips that arrive
 * in the library are taken in as FRESH; fresh clips air first, oldest mastered first; then
 * reruns, the least recently aired first. Every question is one indexed query, whatever the size
 * of the library and of the channel's history.
 *
 * <p>Writes (taking in, recording airings, skipping) come only from the channel's thread;
 * {@link #unairedFreshFrames()} may be called from any thread.
 */
final class Programming {
    /** Clips taken in per query: a long outage catches up in batches. */
    static final int ARRIVALS_BATCH = 256;

    /** Fresh clips in the order they air: a viewer's shot (priority) first, then the oldest mastered. */
    static final String NEXT_FRESH = "SELECT clip_id FROM playout_clip WHERE channel_id = ? AND state = 'FRESH' "
            + "ORDER BY priority DESC, mastered_ms, clip_id LIMIT ?";
    /** Reruns in the order they air: the least recently aired first. */
    static final String NEXT_RERUN = "SELECT clip_id FROM playout_clip WHERE channel_id = ? AND state = 'AIRED' "
            + "ORDER BY last_start_ticks, clip_id LIMIT ?";

    static final String FRESH_FRAMES =
            "SELECT COALESCE(SUM(frames), 0) FROM playout_clip WHERE channel_id = ? AND state = 'FRESH'";
    /** Clips waiting for an operator count as ready: a channel that reviews clips does not make more meanwhile. */
    static final String HELD_FRAMES =
            "SELECT COALESCE(SUM(frames), 0) FROM playout_clip WHERE channel_id = ? AND state = 'HELD'";

    private final Database db;
    private final ClipCatalog catalog;
    private final String channelId;
    private volatile long seenSeq;
    private volatile boolean holdForReview;

    private Programming(Database db, ClipCatalog catalog, String channelId, long seenSeq) {
        this.db = db;
        this.catalog = catalog;
        this.channelId = channelId;
        this.seenSeq = seenSeq;
    }

    /** The channel's programming; its playout_channel row must exist (the timeline creates it). */
    static Programming open(Database db, ClipCatalog catalog, String channelId) throws SQLException {
        long seen = db.read(c -> seenSeq(c, channelId));
        return new Programming(db, catalog, channelId, seen);
    }

    /** The newest clip seq the channel's programming has taken in; 0 when it never has. */
    static long seenSeq(Connection c, String channelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seen_seq FROM playout_channel WHERE channel_id = ?")) {
            s.setString(1, channelId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0L;
            }
        }
    }

    /** From now on, arrivals wait for an operator's approval (HELD) instead of going straight to FRESH. */
    void holdForReview(boolean hold) {
        holdForReview = hold;
    }

    /** Takes in the clips that arrived since the last call, as FRESH (or HELD for review); returns how many. */
    int takeInArrivals() throws SQLException {
        int total = 0;
        while (true) {
            List<AirableClip> arrived = catalog.arrivedAfter(channelId, seenSeq, ARRIVALS_BATCH);
            if (arrived.isEmpty()) {
                return total;
            }
            long newest = arrived.stream().mapToLong(AirableClip::seq).max().orElse(seenSeq);
            db.write(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state) "
                                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, clip_id) DO NOTHING")) {
                    String state = holdForReview ? "HELD" : "FRESH";
                    for (AirableClip clip : arrived) {
                        s.setString(1, channelId);
                        s.setString(2, clip.clipId());
                        s.setLong(3, clip.seq());
                        s.setInt(4, clip.frames());
                        s.setLong(5, clip.masteredAt().toEpochMilli());
                        s.setString(6, state);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE playout_channel SET seen_seq = ? WHERE channel_id = ?")) {
                    s.setLong(1, newest);
                    s.setString(2, channelId);
                    s.executeUpdate();
                }
                return null;
            });
            seenSeq = newest;
            total += arrived.size();
            if (arrived.size() < ARRIVALS_BATCH) {
                return total;
            }
        }
    }

    /** The fresh clip that airs next (the oldest mastered), passing over {@code passOver}. */
    Optional<AirableClip> nextFresh(Set<String> passOver) throws SQLException {
        return first(NEXT_FRESH, passOver);
    }

    /** The rerun that airs next (the least recently aired), passing over {@code passOver}. */
    Optional<AirableClip> nextRerun(Set<String> passOver) throws SQLException {
        return first(NEXT_RERUN, passOver);
    }

    private Optional<AirableClip> first(String sql, Set<String> passOver) throws SQLException {
        List<String> ids = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, channelId);
                s.setInt(2, passOver.size() + 1);
                List<String> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
        for (String id : ids) {
            if (passOver.contains(id)) {
                continue;
            }
            Optional<AirableClip> clip = catalog.find(id);
            if (clip.isPresent()) {
                return clip;
            }
            forget(id); // gone from the library (retention, an operator): it can no longer air
            return first(sql, passOver);
        }
        return Optional.empty();
    }

    /** Records an airing of a clip inside the timeline's transaction: it is no longer fresh. */
    Void recordAiring(Connection c, Airing airing) throws SQLException {
        if (airing.clipId().isEmpty()) {
            return null;
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE playout_clip SET state = 'AIRED', airings = airings + 1, last_start_ticks = ? "
                        + "WHERE channel_id = ? AND clip_id = ?")) {
            s.setLong(1, airing.startTicks());
            s.setString(2, channelId);
            s.setString(3, airing.clipId().get());
            s.executeUpdate();
        }
        return null;
    }

    /**
     * An operator's change to one clip's place in the programming.
     *
     * @return false when the channel's programming does not hold the clip (or it is not in a
     *     state the change applies to)
     */
    boolean approve(String clipId) throws SQLException {
        return changed(
                "UPDATE playout_clip SET state = 'FRESH' WHERE state = 'HELD' AND channel_id = ? AND clip_id = ?",
                clipId);
    }

    /** Takes the clip off air for good (it never airs again on this channel); false when unknown. */
    boolean takeOffAir(String clipId, String reason) throws SQLException {
        String why = reason == null || reason.isBlank() ? "taken off air" : "taken off air: " + reason.strip();
        return changed(
                "UPDATE playout_clip SET state = 'OFF_AIR', reason = ? WHERE channel_id = ? AND clip_id = ?",
                why.length() > 500 ? why.substring(0, 500) : why,
                clipId);
    }

    /** The fresh (or held) clip airs before the other fresh clips (a viewer's shot); false when it is not fresh. */
    boolean prioritize(String clipId) throws SQLException {
        return changed(
                "UPDATE playout_clip SET priority = 1 WHERE state IN ('FRESH', 'HELD') AND channel_id = ? AND clip_id = ?",
                clipId);
    }

    /** The state of one clip in this channel's programming (FRESH, HELD, AIRED, SKIPPED, OFF_AIR), if held. */
    Optional<String> state(String clipId) throws SQLException {
        return db.read(
                c -> Optional.ofNullable(states(c, channelId, List.of(clipId)).get(clipId)));
    }

    /** Runs an update whose last two parameters are the channel and the clip; true when it changed the row. */
    private boolean changed(String sql, String... leadingThenClip) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                for (int k = 0; k < leadingThenClip.length - 1; k++) {
                    s.setString(i++, leadingThenClip[k]);
                }
                s.setString(i++, channelId);
                s.setString(i, leadingThenClip[leadingThenClip.length - 1]);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * An airing decided but dropped before it started (an operator took a clip off air): its clip
     * did not air, so a first airing makes it fresh again. Inside the timeline's transaction.
     */
    void unaired(Connection c, Airing airing) throws SQLException {
        if (airing.clipId().isEmpty() || !airing.fresh()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE playout_clip SET state = 'FRESH', airings = 0, last_start_ticks = NULL "
                        + "WHERE channel_id = ? AND clip_id = ? AND state = 'AIRED' AND airings = 1")) {
            s.setString(1, channelId);
            s.setString(2, airing.clipId().get());
            s.executeUpdate();
        }
    }

    /** The states of the clips of these airings, by clip id (one indexed read). */
    Map<String, String> states(Collection<String> clipIds) throws SQLException {
        return db.read(c -> states(c, channelId, clipIds));
    }

    /** The clip can never air on this channel (its cut failed for good); {@code reason} says why. */
    void skip(String clipId, String reason) throws SQLException {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE playout_clip SET state = 'SKIPPED', reason = ? WHERE channel_id = ? AND clip_id = ?")) {
                s.setString(1, reason.length() > 500 ? reason.substring(0, 500) : reason);
                s.setString(2, channelId);
                s.setString(3, clipId);
                return s.executeUpdate();
            }
        });
    }

    private void forget(String clipId) throws SQLException {
        db.write(c -> forget(c, channelId, clipId));
    }

    /** Takes a clip out of the channel's programming (it can never be chosen again), in a caller's transaction. */
    static int forget(Connection c, String channelId, String clipId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM playout_clip WHERE channel_id = ? AND clip_id = ?")) {
            s.setString(1, channelId);
            s.setString(2, clipId);
            return s.executeUpdate();
        }
    }

    /** The state (FRESH, AIRED, SKIPPED) of each of these clips that the channel's programming holds. */
    static Map<String, String> states(Connection c, String channelId, Collection<String> clipIds) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (clipIds.isEmpty()) {
            return out;
        }
        String marks = String.join(",", Collections.nCopies(clipIds.size(), "?"));
        try (PreparedStatement s = c.prepareStatement(
                "SELECT clip_id, state FROM playout_clip WHERE channel_id = ? AND clip_id IN (" + marks + ")")) {
            s.setString(1, channelId);
            int i = 2;
            for (String id : clipIds) {
                s.setString(i++, id);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
        }
        return out;
    }

    /** The next {@code count} reruns in the order {@link #nextRerun} takes them. */
    static List<String> nextReruns(Connection c, String channelId, int count) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(NEXT_RERUN)) {
            s.setString(1, channelId);
            s.setInt(2, count);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * Frames of clips never aired: those taken in as FRESH, plus arrivals not taken in yet (at
     * most one batch: they are taken in within a scheduling step). Thread-safe.
     */
    long unairedFreshFrames() throws SQLException {
        long seen = seenSeq;
        long fresh = db.read(c -> {
            long frames = 0;
            for (String sql : new String[] {FRESH_FRAMES, HELD_FRAMES}) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, channelId);
                    try (ResultSet r = s.executeQuery()) {
                        frames += r.next() ? r.getLong(1) : 0L;
                    }
                }
            }
            return frames;
        });
        long arriving = catalog.arrivedAfter(channelId, seen, ARRIVALS_BATCH).stream()
                .mapToLong(AirableClip::frames)
                .sum();
        return fresh + arriving;
    }
}
