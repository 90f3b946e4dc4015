package tv.latent.testing;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;

/**
 * A library with months of history, written straight into the database: {@code clips} clip rows
 * with their MASTERED jobs, all but the newest {@code fresh} of them aired once (the oldest aired
 * first), every row pointing at the same master file. For tests of what must cost the same with
 * a hundred clips or a million.
 */
public final class LargeLibrary {
    private LargeLibrary() {}

    /** The id of clip number {@code i} (0 is the oldest). */
    public static String clipId(int i) {
        return String.format("big-%07d", i);
    }

    /**
     * Writes the rows; {@code master} (under {@code layout}'s root) is every clip's master. The
     * channel's playout row must not exist yet: its programming starts having taken in all of them.
     */
    public static void seed(Database db, DataLayout layout, String channel, int clips, int fresh, Path master)
            throws SQLException {
        String masterPath = layout.relative(master);
        String thumbPath = layout.relative(master.resolveSibling("thumb.jpg"));
        long base = 1_700_000_000_000L;
        db.write(c -> {
            try (PreparedStatement job = c.prepareStatement(
                            "INSERT INTO shot_jobs (id, channel_id, title, prompt, negative_prompt, seed, music_prompt, sequence,"
                                    + " director, stage_order, state, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, '', '', 'test',"
                                    + " 'RENDER,INTERPOLATE,UPSCALE,SCORE,MASTER', 'MASTERED', ?, ?)");
                    PreparedStatement clip = c.prepareStatement(
                            "INSERT INTO clips (id, job_id, channel_id, title, prompt, negative_prompt, seed, music_prompt, director,"
                                    + " provenance, frames, fps, width, height, duration_s, loudness_lufs, size_bytes, master_path,"
                                    + " thumbnail_path, mastered_at, seq) VALUES (?, ?, ?, ?, ?, '', ?, '', 'test', '{}', 64, 24, 256, 144,"
                                    + " 2.6667, -16, 1000, ?, ?, ?, ?)");
                    PreparedStatement programme = c.prepareStatement(
                            "INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state, airings, last_start_ticks)"
                                    + " VALUES (?, ?, ?, 64, ?, ?, ?, ?)")) {
                for (int i = 0; i < clips; i++) {
                    String id = clipId(i);
                    long at = base + i * 1000L;
                    job.setString(1, id);
                    job.setString(2, channel);
                    job.setString(3, "Shot " + i);
                    job.setString(4, "prompt number " + i);
                    job.setLong(5, i);
                    job.setLong(6, at);
                    job.setLong(7, at);
                    job.addBatch();
                    clip.setString(1, id);
                    clip.setString(2, id);
                    clip.setString(3, channel);
                    clip.setString(4, "Shot " + i);
                    clip.setString(5, "prompt number " + i);
                    clip.setLong(6, i);
                    clip.setString(7, masterPath);
                    clip.setString(8, thumbPath);
                    clip.setLong(9, at);
                    clip.setLong(10, i + 1);
                    clip.addBatch();
                    boolean aired = i < clips - fresh;
                    programme.setString(1, channel);
                    programme.setString(2, id);
                    programme.setLong(3, i + 1);
                    programme.setLong(4, at);
                    programme.setString(5, aired ? "AIRED" : "FRESH");
                    programme.setInt(6, aired ? 1 : 0);
                    if (aired) {
                        programme.setLong(7, -1_000_000_000L + i * 240_000L);
                    } else {
                        programme.setNull(7, java.sql.Types.INTEGER);
                    }
                    programme.addBatch();
                    if (i % 5000 == 4999) {
                        job.executeBatch();
                        clip.executeBatch();
                        programme.executeBatch();
                    }
                }
                job.executeBatch();
                clip.executeBatch();
                programme.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE clip_sequence SET value = ? WHERE name = 'clips'")) {
                s.setLong(1, clips);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_channel (channel_id, epoch_ms, seen_seq) VALUES (?, ?, ?)")) {
                s.setString(1, channel);
                s.setLong(2, System.currentTimeMillis());
                s.setLong(3, clips);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** The query plan of {@code sql} (its parameters bound to {@code args}), one detail line per step. */
    public static String plan(Database db, String sql, Object... args) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                StringBuilder out = new StringBuilder();
                try (var r = s.executeQuery()) {
                    while (r.next()) {
                        out.append(r.getString("detail")).append("; ");
                    }
                }
                return out.toString();
            }
        });
    }
}
