package tv.latent.library;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        try (PreparedStatement s = c.prepareStatement(
                """
        INSERT INTO clips (id, job_id, channel_id, title, prompt, negative_prompt, seed, music_prompt, director,
          provenance, frames, fps, width, height, duration_s, loudness_lufs, size_bytes, master_path, thumbnail_path, mastered_at,
          seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM clips))""")) {
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
            s.setLong(i, clip.masteredAt().toEpochMilli());
            s.executeUpdate();
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
            try (PreparedStatement s =
                    c.prepareStatement("SELECT * FROM clips WHERE channel_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
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
                Instant.ofEpochMilli(r.getLong("mastered_at")));
    }
}
