package tv.latent.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.ShotJob;

/**
 * Test vocabulary for retention: a fresh data directory whose library is filled the way the
 * pipeline fills it (a mastered job and its clip row in one transaction, files in the clip's
 * directory), and playout's records of those clips written as a channel's playout writes them.
 *
 * <p>Clips are named by what playout thinks of them: {@link #anAiredClip} (aired once; the older
 * it is, the more recently it aired, so the next reruns are the newest clips), {@link
 * #aFreshClip} (taken in, never aired), {@link #anArrivingClip} (not taken in yet), {@link
 * #aKeptClip}.
 */
final class TestLibrary implements AutoCloseable {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final long MASTER_BYTES = 1_000;

    final DataLayout layout;
    final Database db;
    final ClipLibrary library;
    final JobStore jobs;
    final InstantSource wall = InstantSource.fixed(NOW);
    private final AtomicLong names = new AtomicLong();

    TestLibrary(Path dir) throws IOException, SQLException {
        layout = new DataLayout(dir.resolve("data")).prepare();
        db = Database.open(layout.database());
        library = new ClipLibrary(db, layout);
        jobs = new JobStore(db);
    }

    /** Retention with these settings over this library; channels {@code onAir} are configured. */
    Retention retention(LatentConfig.Retention settings, DiskGuard guard, String... onAir) {
        return new Retention(db, layout, settings, List.of(onAir), guard, wall);
    }

    /** A disk guard over a disk of {@code total} bytes with {@code free} free, and the default threshold (2 GB). */
    static DiskGuard guard(long free, long total) {
        return new DiskGuard(LatentConfig.DiskGuard.DEFAULT, new FixedSpace(free, total));
    }

    /** A disk guard over a roomy disk: it never pauses and never asks for an automatic budget. */
    static DiskGuard roomyDisk() {
        return guard(1L << 50, 1L << 51);
    }

    /** Station-wide retention settings: the library's budget, and the same limits for every channel. */
    static LatentConfig.Retention limits(OptionalLong libraryBytes, LatentConfig.ClipLimits each) {
        return new LatentConfig.Retention(libraryBytes, each, Map.of(), Duration.ofDays(14), Duration.ofMinutes(10));
    }

    static LatentConfig.ClipLimits noLimits(int min) {
        return new LatentConfig.ClipLimits(Duration.ZERO, 0, 0, min);
    }

    static LatentConfig.ClipLimits maxClips(int max, int min) {
        return new LatentConfig.ClipLimits(Duration.ZERO, max, 0, min);
    }

    static LatentConfig.ClipLimits maxAge(Duration age, int min) {
        return new LatentConfig.ClipLimits(age, 0, 0, min);
    }

    static LatentConfig.ClipLimits maxDisk(long bytes, int min) {
        return new LatentConfig.ClipLimits(Duration.ZERO, 0, bytes, min);
    }

    /** A disk whose sizes a test sets. */
    static final class FixedSpace implements DiskGuard.Space {
        volatile long free;
        volatile long total;

        FixedSpace(long free, long total) {
            this.free = free;
            this.total = total;
        }

        @Override
        public long freeBytes() {
            return free;
        }

        @Override
        public long totalBytes() {
            return total;
        }
    }

    // ------------------------------------------------------------------ clips

    /** A clip mastered {@code age} ago that has aired once; its channel's programming has taken it in. */
    String anAiredClip(String channel, Duration age) throws Exception {
        String id = master(channel, age, MASTER_BYTES, false);
        takeIn(channel, id, "AIRED", -NOW.minus(age).toEpochMilli());
        return id;
    }

    /** A clip taken in by its channel's programming and never aired. */
    String aFreshClip(String channel, Duration age) throws Exception {
        String id = master(channel, age, MASTER_BYTES, false);
        takeIn(channel, id, "FRESH", null);
        return id;
    }

    /** A clip mastered after its channel's programming last looked: not taken in yet. */
    String anArrivingClip(String channel, Duration age) throws Exception {
        return master(channel, age, MASTER_BYTES, false);
    }

    /** An aired clip an operator marked to be kept. */
    String aKeptClip(String channel, Duration age) throws Exception {
        String id = master(channel, age, MASTER_BYTES, true);
        takeIn(channel, id, "AIRED", -NOW.minus(age).toEpochMilli());
        return id;
    }

    /**
     * A clip whose master is real house-format media (made with ffmpeg, 64 frames at 24 fps), not
     * yet taken in by its channel and never cut: playout can air it.
     */
    String anAirableClip(String channel, Duration age) throws Exception {
        String id = master(channel, age, MASTER_BYTES, false);
        Path dir = layout.clip(channel, id);
        DataLayout.deleteTree(dir.resolve("hls"));
        HouseClips.master(dir, 64, 440);
        return id;
    }

    /** {@code count} aired clips, one a day apart, the newest {@code newestAge} old; oldest first. */
    List<String> airedClips(String channel, int count, Duration newestAge) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            ids.add(anAiredClip(channel, newestAge.plusDays(i)));
        }
        return ids;
    }

    /** Writes a mastered job, its clip's files and its clip row, as the pipeline's master step does. */
    String master(String channel, Duration age, long masterBytes, boolean kept) throws Exception {
        String id = String.format("%s-%05d", channel, names.incrementAndGet());
        Instant at = NOW.minus(age);
        Path dir = layout.clip(channel, id);
        Files.createDirectories(dir.resolve("hls"));
        Path master = dir.resolve("master.mp4");
        Files.write(master, new byte[(int) masterBytes]);
        Files.write(dir.resolve("thumb.jpg"), new byte[100]);
        Files.write(dir.resolve("hls").resolve("0.ts"), new byte[(int) masterBytes]);
        jobs.insert(List.of(aJob(id, channel, JobState.MASTERED, at)));
        Clip clip = new Clip(
                id,
                id,
                channel,
                "Shot " + id,
                "a prompt",
                "",
                1,
                "",
                "test",
                "{}",
                64,
                24,
                256,
                144,
                64 / 24.0,
                -16.0,
                masterBytes,
                master,
                dir.resolve("thumb.jpg"),
                at,
                kept);
        db.write(c -> {
            library.insert(c, clip);
            return null;
        });
        return id;
    }

    /** A shot job in {@code state}, last changed {@code at} (a failed one says why). */
    static ShotJob aJob(String id, String channel, JobState state, Instant at) {
        return new ShotJob(
                id,
                channel,
                new ShotPlan("Shot " + id, "a prompt for " + id, "", 1, "", ""),
                "test",
                "",
                JobState.order(true),
                state,
                state == JobState.FAILED ? 1 : 0,
                at,
                state == JobState.FAILED ? "render failed: out of memory" : "",
                Map.of(),
                0,
                at,
                at);
    }

    /** Playout's record of a clip: its channel has taken it in with this state. */
    void takeIn(String channel, String clipId, String state, Long lastStartTicks) throws SQLException {
        db.write(c -> {
            long seq;
            try (PreparedStatement s = c.prepareStatement("SELECT seq, frames, mastered_at FROM clips WHERE id = ?")) {
                s.setString(1, clipId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    seq = r.getLong(1);
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO playout_channel (channel_id, epoch_ms, seen_seq) VALUES (?, 0, ?) "
                            + "ON CONFLICT (channel_id) DO UPDATE SET seen_seq = MAX(seen_seq, excluded.seen_seq)")) {
                s.setString(1, channel);
                s.setLong(2, seq);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state, airings, "
                            + "last_start_ticks) SELECT channel_id, id, seq, frames, mastered_at, ?, ?, ? FROM clips WHERE id = ?")) {
                s.setString(1, state);
                s.setInt(2, lastStartTicks == null ? 0 : 1);
                if (lastStartTicks == null) {
                    s.setNull(3, java.sql.Types.INTEGER);
                } else {
                    s.setLong(3, lastStartTicks);
                }
                s.setString(4, clipId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Puts the clip on the channel's timeline as its newest airing (on air, or decided ahead). */
    void onTimeline(String channel, String clipId) throws SQLException {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_airing (channel_id, first_media_sequence, start_ticks, frames, segments, "
                            + "discontinuity, discontinuity_sequence, clip_id, master, title, prompt, fresh, counters) "
                            + "SELECT ?, COALESCE(MAX(first_media_sequence), -2) + 2, 0, 64, 2, 0, 0, ?, 'master.mp4', "
                            + "'t', 'p', 0, '' FROM playout_airing WHERE channel_id = ?")) {
                s.setString(1, channel);
                s.setString(2, clipId);
                s.setString(3, channel);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Makes the clip the next rerun of its channel (the least recently aired). */
    void nextToRerun(String channel, String clipId) throws SQLException {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE playout_clip SET last_start_ticks = (SELECT MIN(last_start_ticks) - 1 FROM playout_clip "
                            + "WHERE channel_id = ?) WHERE channel_id = ? AND clip_id = ?")) {
                s.setString(1, channel);
                s.setString(2, channel);
                s.setString(3, clipId);
                s.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ what is left

    /** The ids of the clips that have a row, sorted. */
    Set<String> clipRows() throws SQLException {
        return strings("SELECT id FROM clips");
    }

    Set<String> strings(String sql) throws SQLException {
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement s = c.prepareStatement(sql);
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    /** The clip directories on disk, by clip id, sorted. */
    Set<String> clipDirs() throws IOException {
        Set<String> out = new TreeSet<>();
        Path clips = layout.root().resolve("clips");
        try (var channels = Files.list(clips)) {
            for (Path channel : channels.toList()) {
                try (var dirs = Files.list(channel)) {
                    dirs.forEach(d -> out.add(d.getFileName().toString()));
                }
            }
        }
        return out;
    }

    /**
     * Nothing dangles: every clip row has its files, every clip directory has its row, no
     * programming row names a missing clip, no mastered job lacks its clip.
     */
    List<String> dangling() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> rows = clipRows();
        Set<String> dirs = clipDirs();
        for (String id : rows) {
            ClipLibrary.Entry entry = library.find(id)
                    .map(c -> new ClipLibrary.Entry(
                            c.id(),
                            c.jobId(),
                            c.channelId(),
                            0,
                            c.masteredAt(),
                            c.sizeBytes(),
                            c.master(),
                            c.thumbnail()))
                    .orElseThrow();
            if (!Files.isRegularFile(entry.master()) || !Files.isRegularFile(entry.thumbnail())) {
                problems.add("clip " + id + " has a row but not its files");
            }
        }
        for (String dir : dirs) {
            if (!rows.contains(dir)) {
                problems.add("directory " + dir + " has no clip row");
            }
        }
        for (String id : strings("SELECT clip_id FROM playout_clip")) {
            if (!rows.contains(id)) {
                problems.add("programming names missing clip " + id);
            }
        }
        for (String id : strings("SELECT id FROM shot_jobs WHERE state = 'MASTERED'")) {
            if (!rows.contains(id)) {
                problems.add("mastered job " + id + " has no clip");
            }
        }
        return problems;
    }

    static Set<String> sorted(Collection<String> ids) {
        return new TreeSet<>(ids);
    }

    @Override
    public void close() {
        db.close();
    }
}
