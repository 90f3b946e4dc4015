package tv.latent.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The clip library: mastered clips and their provenance.
 *
 * <pre>{@code
 * ClipLibrary library = new ClipLibrary(db, layout);
 * List<Clip> newest = library.list("nature", 20);
 * }</pre>
 *
 * <p>Thread-safe (the {@link Database} serialises access).
 */
public final class ClipLibrary {
    static final String ARRIVED_AFTER = "SELECT * FROM clips WHERE channel_id = ? AND seq > ? ORDER BY seq LIMIT ?";

    private final Database db;
    private final DataLayout layout;

    public ClipLibrary(Database db, DataLayout layout) {
        this.db = db;
        this.layout = layout;
    }

    /**
     * Inserts a clip inside a caller's transaction (the pipeline marks the job mastered in the same
     * one). The clip's files must already be in place.
     */
    public void insert(Connection c, Clip clip) throws SQLException {
        long seq = nextSeq(c);
        try (PreparedStatement s = c.prepareStatement(
                """
        INSERT INTO clips (id, job_id, channel_id, title, prompt, negative_prompt, seed, music_prompt, director,
          provenance, frames, fps, width, height, duration_s, loudness_lufs, size_bytes, master_path, thumbnail_path, mastered_at,
          keep, seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 1;
            s.setString(i++, clip.id());
            s.setString(i++, clip.jobId());
            s.setString(i++, clip.channelId());
            s.setString(i++, clip.title());
            s.setString(i++, clip.prompt());
            s.setString(i++, clip.negativePrompt());
            s.setLong(i++, clip.seed());
            s.setString(i++, clip.musicPrompt());
            s.setString(i++, clip.director());
            s.setString(i++, clip.provenance());
            s.setInt(i++, clip.frames());
            s.setInt(i++, clip.fps());
            s.setInt(i++, clip.width());
            s.setInt(i++, clip.height());
            s.setDouble(i++, clip.durationSeconds());
            if (clip.loudnessLufs() == null || clip.loudnessLufs().isNaN()) {
                s.setNull(i++, java.sql.Types.REAL);
            } else {
                s.setDouble(i++, clip.loudnessLufs());
            }
            s.setLong(i++, clip.sizeBytes());
            s.setString(i++, layout.relative(clip.master()));
            s.setString(i++, layout.relative(clip.thumbnail()));
            s.setLong(i++, clip.masteredAt().toEpochMilli());
            s.setInt(i++, clip.kept() ? 1 : 0);
            s.setLong(i, seq);
            s.executeUpdate();
        }
    }

    /** The next position in the library's order of arrival: never reused, even when the newest clip is deleted. */
    private static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("UPDATE clip_sequence SET value = value + 1 WHERE name = 'clips'")) {
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT value FROM clip_sequence WHERE name = 'clips'");
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new SQLException("the clip sequence is missing from the database");
            }
            return r.getLong(1);
        }
    }

    /** The channel's clips, newest first; {@code channelId} null for all channels. */
    public List<Clip> list(String channelId, int limit) throws SQLException {
        return db.read(c -> {
            String sql = "SELECT * FROM clips" + (channelId == null ? "" : " WHERE channel_id = ?")
                    + " ORDER BY mastered_at DESC, id DESC LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                if (channelId != null) {
                    s.setString(i++, channelId);
                }
                s.setInt(i, limit);
                return rows(s);
            }
        });
    }

    /** A clip and its position in the library's order of arrival. */
    public record Arrival(long seq, Clip clip) {}

    /** The channel's clips that arrived after position {@code afterSeq}, in order of arrival (indexed). */
    public List<Arrival> arrivedAfter(String channelId, long afterSeq, int limit) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(ARRIVED_AFTER)) {
                s.setString(1, channelId);
                s.setLong(2, afterSeq);
                s.setInt(3, limit);
                List<Arrival> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Arrival(r.getLong("seq"), row(r)));
                    }
                }
                return out;
            }
        });
    }

    /** The channel's clips in mastering order, oldest first. */
    public List<Clip> inMasteringOrder(String channelId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT * FROM clips WHERE channel_id = ? ORDER BY mastered_at, id")) {
                s.setString(1, channelId);
                return rows(s);
            }
        });
    }

    public Optional<Clip> find(String clipId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM clips WHERE id = ?")) {
                s.setString(1, clipId);
                return rows(s).stream().findFirst();
            }
        });
    }

    public int count(String channelId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM clips WHERE channel_id = ?")) {
                s.setString(1, channelId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getInt(1) : 0;
                }
            }
        });
    }

    /**
     * Marks a clip to be kept forever ({@code keep} true) or lifts the mark.
     *
     * @return false when there is no such clip
     */
    public boolean keep(String clipId, boolean keep) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE clips SET keep = ? WHERE id = ?")) {
                s.setInt(1, keep ? 1 : 0);
                s.setString(2, clipId);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * A clip as retention weighs it: its place in time and in the order of arrival, its master's
     * size, and its files.
     */
    public record Entry(
            String id,
            String jobId,
            String channelId,
            long seq,
            Instant masteredAt,
            long sizeBytes,
            Path master,
            Path thumbnail) {
        /** Its place in age order. */
        public Age age() {
            return new Age(masteredAt.toEpochMilli(), id);
        }
    }

    /** A place in age order: oldest mastered first, ties by id. */
    public record Age(long masteredMs, String id) implements Comparable<Age> {
        @Override
        public int compareTo(Age other) {
            int byTime = Long.compare(masteredMs, other.masteredMs);
            return byTime != 0 ? byTime : id.compareTo(other.id);
        }
    }

    /** A channel's clips and their masters' bytes, kept up to date by triggers (no rows are counted). */
    public record Totals(String channelId, long clips, long bytes) {}

    /** The totals of every channel that has clips. */
    public List<Totals> totals() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s =
                            c.prepareStatement("SELECT channel_id, clips, bytes FROM clip_totals WHERE clips > 0");
                    ResultSet r = s.executeQuery()) {
                List<Totals> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new Totals(r.getString(1), r.getLong(2), r.getLong(3)));
                }
                return out;
            }
        });
    }

    /**
     * Clips not marked to be kept, oldest first, from an index: those of {@code channelId} (null:
     * the whole library) that come after {@code after} and before {@code before} in age order
     * (either null: unbounded), at most {@code limit}.
     */
    public List<Entry> oldestUnkept(String channelId, Age after, Age before, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM clips WHERE keep = 0");
        if (channelId != null) {
            sql.append(" AND channel_id = ?");
        }
        if (after != null) {
            sql.append(" AND (mastered_at, id) > (?, ?)");
        }
        if (before != null) {
            sql.append(" AND (mastered_at, id) < (?, ?)");
        }
        sql.append(" ORDER BY mastered_at, id LIMIT ?");
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (channelId != null) {
                    s.setString(i++, channelId);
                }
                for (Age age : new Age[] {after, before}) {
                    if (age != null) {
                        s.setLong(i++, age.masteredMs());
                        s.setString(i++, age.id());
                    }
                }
                s.setInt(i, limit);
                return entries(s);
            }
        });
    }

    private static final String ENTRY_COLUMNS =
            "id, job_id, channel_id, seq, mastered_at, size_bytes, master_path, thumbnail_path";

    /** The clip as retention weighs it, unless it is marked to be kept (or gone). */
    public Optional<Entry> unkeptEntry(String clipId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM clips WHERE id = ? AND keep = 0")) {
                s.setString(1, clipId);
                return entries(s).stream().findFirst();
            }
        });
    }

    private List<Entry> entries(PreparedStatement s) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Entry(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getLong(4),
                        Instant.ofEpochMilli(r.getLong(5)),
                        r.getLong(6),
                        layout.resolve(r.getString(7)),
                        layout.resolve(r.getString(8))));
            }
        }
        return out;
    }

    /**
     * The age of the channel's {@code n}-th newest clip (1: the newest), kept or not; empty when
     * the channel has fewer. Reads at most {@code n} index entries.
     */
    public Optional<Age> nthNewest(String channelId, int n) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT mastered_at, id FROM clips WHERE channel_id = ? "
                    + "ORDER BY mastered_at DESC, id DESC LIMIT 1 OFFSET ?")) {
                s.setString(1, channelId);
                s.setInt(2, n - 1);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Age(r.getLong(1), r.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /** The highest position in the order of arrival (0 for an empty library). */
    public long newestSeq() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM clips");
                    ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0L;
            }
        });
    }

    /**
     * Deletes a clip's row inside a caller's transaction, unless the clip is marked to be kept (its
     * files are the caller's to remove).
     *
     * @return false when the clip is kept or gone
     */
    public boolean deleteUnlessKept(Connection c, String clipId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM clips WHERE id = ? AND keep = 0")) {
            s.setString(1, clipId);
            return s.executeUpdate() == 1;
        }
    }

    /** Which of {@code clipIds} have a row (one indexed lookup each). */
    public Set<String> existing(Collection<String> clipIds) throws SQLException {
        if (clipIds.isEmpty()) {
            return Set.of();
        }
        String marks = String.join(",", Collections.nCopies(clipIds.size(), "?"));
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM clips WHERE id IN (" + marks + ")")) {
                int i = 1;
                for (String id : clipIds) {
                    s.setString(i++, id);
                }
                Set<String> out = new HashSet<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** Checks that every clip's files are present; returns the ids of clips whose files are missing. */
    public List<String> missingFiles() throws SQLException {
        List<String> missing = new ArrayList<>();
        for (Clip clip : list(null, Integer.MAX_VALUE)) {
            if (!Files.isRegularFile(clip.master()) || !Files.isRegularFile(clip.thumbnail())) {
                missing.add(clip.id());
            }
        }
        return missing;
    }

    private List<Clip> rows(PreparedStatement s) throws SQLException {
        List<Clip> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(row(r));
            }
        }
        return out;
    }

    private Clip row(ResultSet r) throws SQLException {
        double lufs = r.getDouble("loudness_lufs");
        Double loudness = r.wasNull() ? null : lufs;
        return new Clip(
                r.getString("id"),
                r.getString("job_id"),
                r.getString("channel_id"),
                r.getString("title"),
                r.getString("prompt"),
                r.getString("negative_prompt"),
                r.getLong("seed"),
                r.getString("music_prompt"),
                r.getString("director"),
                r.getString("provenance"),
                r.getInt("frames"),
                r.getInt("fps"),
                r.getInt("width"),
                r.getInt("height"),
                r.getDouble("duration_s"),
                loudness,
                r.getLong("size_bytes"),
                layout.resolve(r.getString("master_path")),
                layout.resolve(r.getString("thumbnail_path")),
                Instant.ofEpochMilli(r.getLong("mastered_at")),
                r.getInt("keep") != 0);
    }
}
