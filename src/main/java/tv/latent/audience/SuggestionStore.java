package tv.latent.audience;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tv.latent.library.Database;

/**
 * The SQL of the {@code suggestions} and {@code suggestion_votes} tables. Every change of state
 * goes through {@link #update}, which enforces the {@link SuggestionState} table and detects lost
 * writes by version (an operator's decision and the desk's pick cannot both win).
 *
 * <p>The queries of the hot paths (the queue, a viewer's suggestions, duplicates, captions) read
 * an index each and are bounded by a LIMIT, whatever the size of the history. Thread-safe.
 */
final class SuggestionStore {
    /** At most this many open suggestions are read per channel (the queue cap keeps far fewer). */
    static final int MAX_OPEN = 1000;

    private static final String OPEN = "'PENDING', 'QUEUED', 'MAKING', 'READY', 'ON_AIR'";
    private static final String FINISHED = "'AIRED', 'REJECTED', 'EXPIRED', 'FAILED', 'REMOVED'";

    private final Database db;

    SuggestionStore(Database db) {
        this.db = db;
    }

    /** A new suggestion to store: everything but its id, number and version. */
    record New(
            String channelId,
            String viewerId,
            String displayName,
            Source source,
            String text,
            String normal,
            SuggestionState state,
            Instant now) {}

    /** Stores a new suggestion under the channel's next number; inside the caller's transaction. */
    Suggestion insert(Connection c, New n) throws SQLException {
        long number;
        try (PreparedStatement s =
                c.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM suggestions WHERE channel_id = ?")) {
            s.setString(1, n.channelId());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                number = r.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                """
                INSERT INTO suggestions (channel_id, number, viewer_id, display_name, source, text, normal, state,
                  created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                PreparedStatement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            s.setString(i++, n.channelId());
            s.setLong(i++, number);
            s.setString(i++, n.viewerId());
            s.setString(i++, n.displayName());
            s.setString(i++, n.source().name());
            s.setString(i++, n.text());
            s.setString(i++, n.normal());
            s.setString(i++, n.state().name());
            s.setLong(i++, n.now().toEpochMilli());
            s.setLong(i, n.now().toEpochMilli());
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return new Suggestion(
                        keys.getLong(1),
                        n.channelId(),
                        number,
                        n.viewerId(),
                        n.displayName(),
                        n.source(),
                        n.text(),
                        n.normal(),
                        n.state(),
                        0,
                        Optional.empty(),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        0,
                        n.now(),
                        n.now());
            }
        }
    }

    /**
     * Stores {@code next}, a changed copy of {@code current}, if the row still has current's
     * version and the change of state is allowed; returns next with its new version.
     *
     * @throws LostUpdate when someone else changed the row first
     * @throws IllegalStateException when the transition table forbids the change
     */
    Suggestion update(Suggestion current, Suggestion next) throws SQLException {
        if (current.state() != next.state() && !current.state().mayBecome(next.state())) {
            throw new IllegalStateException(
                    "suggestion " + current.subject() + " may not go from " + current.state() + " to " + next.state());
        }
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    """
                    UPDATE suggestions SET state = ?, job_id = ?, reason = ?, air_start_ms = ?, air_end_ms = ?,
                      version = version + 1, updated_at = ?
                    WHERE id = ? AND version = ?""")) {
                int i = 1;
                s.setString(i++, next.state().name());
                s.setString(i++, next.jobId().orElse(null));
                s.setString(i++, next.reason());
                setInstant(s, i++, next.airStart());
                setInstant(s, i++, next.airEnd());
                s.setLong(i++, next.updatedAt().toEpochMilli());
                s.setLong(i++, current.id());
                s.setLong(i, current.version());
                if (s.executeUpdate() != 1) {
                    throw new LostUpdate(current.subject());
                }
            }
            return find(c, current.id()).orElseThrow(() -> new LostUpdate(current.subject()));
        });
    }

    /** Someone else changed (or deleted) a suggestion between its read and this write. */
    static final class LostUpdate extends SQLException {
        LostUpdate(String subject) {
            super("suggestion " + subject + " was changed meanwhile");
        }
    }

    /** What became of a vote. */
    enum Vote {
        COUNTED,
        /** The viewer had voted for it already. */
        ALREADY,
        /** It is not in the queue (any more). */
        NOT_QUEUED
    }

    /**
     * Records a viewer's vote and counts it, in one transaction, only while the suggestion is
     * queued. A vote is a counter, not a change of state: it leaves the version alone, so it never
     * makes the desk's pick a lost write.
     */
    Vote vote(long suggestionId, String viewerId, Instant now) throws SQLException {
        try {
            return db.write(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO suggestion_votes (suggestion_id, viewer_id, created_at) VALUES (?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
                    s.setLong(1, suggestionId);
                    s.setString(2, viewerId);
                    s.setLong(3, now.toEpochMilli());
                    if (s.executeUpdate() == 0) {
                        return Vote.ALREADY;
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE suggestions SET votes = votes + 1 WHERE id = ? AND state = 'QUEUED'")) {
                    s.setLong(1, suggestionId);
                    if (s.executeUpdate() == 0) {
                        throw new NotQueued(); // rolls the vote back
                    }
                }
                return Vote.COUNTED;
            });
        } catch (NotQueued e) {
            return Vote.NOT_QUEUED;
        }
    }

    private static final class NotQueued extends SQLException {}

    Optional<Suggestion> find(long id) throws SQLException {
        return db.read(c -> find(c, id));
    }

    private static Optional<Suggestion> find(Connection c, long id) throws SQLException {
        return select(c, "SELECT * FROM suggestions WHERE id = ?", s -> s.setLong(1, id)).stream()
                .findFirst();
    }

    Optional<Suggestion> byNumber(String channelId, long number) throws SQLException {
        return select("SELECT * FROM suggestions WHERE channel_id = ? AND number = ?", s -> {
                    s.setString(1, channelId);
                    s.setLong(2, number);
                })
                .stream()
                .findFirst();
    }

    /** The suggestion a shot job (a clip) was made of. */
    Optional<Suggestion> byJob(String jobId) throws SQLException {
        return select("SELECT * FROM suggestions WHERE job_id = ? LIMIT 1", s -> s.setString(1, jobId)).stream()
                .findFirst();
    }

    /** The channel's open suggestions (waiting, picked, on air): the highest votes first, then the oldest. */
    List<Suggestion> open(String channelId) throws SQLException {
        return select(
                "SELECT * FROM suggestions WHERE channel_id = ? AND state IN (" + OPEN
                        + ") ORDER BY votes DESC, created_at, id LIMIT " + MAX_OPEN,
                s -> s.setString(1, channelId));
    }

    /** Every channel's waiting suggestions made before {@code before} (for expiry). */
    List<Suggestion> waitingSince(Instant before, int limit) throws SQLException {
        return select(
                "SELECT * FROM suggestions WHERE state IN ('PENDING', 'QUEUED') "
                        + "AND created_at < ? ORDER BY created_at, id LIMIT ?",
                s -> {
                    s.setLong(1, before.toEpochMilli());
                    s.setInt(2, limit);
                });
    }

    /** The channel's suggestions made since {@code since}, newest first, at most {@code limit} (duplicates). */
    List<Suggestion> recent(String channelId, Instant since, int limit) throws SQLException {
        return select(
                "SELECT * FROM suggestions WHERE channel_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT ?",
                s -> {
                    s.setString(1, channelId);
                    s.setLong(2, since.toEpochMilli());
                    s.setInt(3, limit);
                });
    }

    /** One viewer's suggestions on a channel, newest first. */
    List<Suggestion> byViewer(String channelId, String viewerId, int limit) throws SQLException {
        return select(
                "SELECT * FROM suggestions WHERE channel_id = ? AND viewer_id = ? ORDER BY created_at DESC LIMIT ?",
                s -> {
                    s.setString(1, channelId);
                    s.setString(2, viewerId);
                    s.setInt(3, limit);
                });
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement s) throws SQLException;
    }

    /** The rows of a query of whole suggestions, on a connection of its own. */
    private List<Suggestion> select(String sql, Parameters parameters) throws SQLException {
        return db.read(c -> select(c, sql, parameters));
    }

    private static List<Suggestion> select(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.set(s);
            return rows(s);
        }
    }

    /**
     * Deletes finished suggestions (and their votes) last changed before {@code before}, oldest
     * first, at most {@code limit}; returns how many.
     */
    int prune(Instant before, int limit) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM suggestions WHERE id IN (SELECT id FROM suggestions WHERE state IN (" + FINISHED
                            + ") AND updated_at < ? ORDER BY updated_at, id LIMIT ?)")) {
                s.setLong(1, before.toEpochMilli());
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }

    /** The SQL of the queries above whose plans a test checks (a channel's queue and a caption). */
    static final List<String> INDEXED_QUERIES = List.of(
            "SELECT * FROM suggestions WHERE channel_id = ? AND state IN (" + OPEN
                    + ") ORDER BY votes DESC, created_at, id LIMIT " + MAX_OPEN,
            "SELECT * FROM suggestions WHERE job_id = ? LIMIT 1",
            "SELECT * FROM suggestions WHERE channel_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT ?",
            "SELECT * FROM suggestions WHERE channel_id = ? AND viewer_id = ? ORDER BY created_at DESC LIMIT ?",
            "SELECT COALESCE(MAX(number), 0) + 1 FROM suggestions WHERE channel_id = ?");

    Database database() {
        return db;
    }

    private static void setInstant(PreparedStatement s, int index, Optional<Instant> at) throws SQLException {
        if (at.isPresent()) {
            s.setLong(index, at.get().toEpochMilli());
        } else {
            s.setNull(index, Types.INTEGER);
        }
    }

    private static List<Suggestion> rows(PreparedStatement s) throws SQLException {
        List<Suggestion> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Suggestion(
                        r.getLong("id"),
                        r.getString("channel_id"),
                        r.getLong("number"),
                        r.getString("viewer_id"),
                        r.getString("display_name"),
                        Source.valueOf(r.getString("source")),
                        r.getString("text"),
                        r.getString("normal"),
                        SuggestionState.valueOf(r.getString("state")),
                        r.getInt("votes"),
                        Optional.ofNullable(r.getString("job_id")),
                        r.getString("reason"),
                        instant(r, "air_start_ms"),
                        instant(r, "air_end_ms"),
                        r.getLong("version"),
                        Instant.ofEpochMilli(r.getLong("created_at")),
                        Instant.ofEpochMilli(r.getLong("updated_at"))));
            }
        }
        return out;
    }

    private static Optional<Instant> instant(ResultSet r, String column) throws SQLException {
        long ms = r.getLong(column);
        return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
    }
}
