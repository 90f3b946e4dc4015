package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.testing.SlowTest;

/**
 * Retention over a library of 100,000 clips (rows written directly; a few with real files) and
 * a long job history: it deletes in bounded batches, and every statement a pass prepares runs on
 * an index (SQLite's own {@code EXPLAIN QUERY PLAN} says so), so a pass costs the same with a
 * hundred clips or a million, plus what it deletes.
 */
@SlowTest
class RetentionAtScaleTest {
    private static final int PER_CHANNEL = 50_000;
    private static final List<String> CHANNELS = List.of("north", "south");
    private static final Set<String> TABLES = Set.of("clips", "playout_clip", "playout_airing", "shot_jobs");
    private static final Pattern SCAN = Pattern.compile("^SCAN (\\w+)");

    static RecordingDriver driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void recordStatements() throws Exception {
        driver = RecordingDriver.install();
    }

    @AfterAll
    static void stopRecording() throws Exception {
        driver.uninstall();
    }

    @Test
    void aLibraryOf100000ClipsIsPrunedInBoundedBatchesAndEveryQueryUsesAnIndex() throws Exception {
        try (TestLibrary shelf = new TestLibrary(dir)) {
            // one clip with real files, the oldest: it goes
            String goes = shelf.anAiredClip("north", Duration.ofDays(400));
            seed(shelf);
            Files.createDirectories(shelf.layout.work("a-finished-job"));
            long clip = Retention.footprint(TestLibrary.MASTER_BYTES);
            LatentConfig.Retention settings = new LatentConfig.Retention(
                    OptionalLong.of(85_000 * clip),
                    new LatentConfig.ClipLimits(Duration.ZERO, 45_000, 0, 100),
                    Map.of(),
                    Duration.ofDays(14),
                    Duration.ofMinutes(10));

            try (Retention retention = shelf.retention(settings, TestLibrary.roomyDisk(), "north", "south")) {
                driver.start();
                Retention.Outcome pruned = retention.runOnce();
                driver.stop();

                // 5,001 over maxClips on north (with the real one), 5,000 on south, then 5,000 over the library's
                // budget
                assertThat(pruned.clips()).isEqualTo(15_001);
                assertThat(pruned.largestBatch()).isLessThanOrEqualTo(Retention.BATCH);
                assertThat(pruned.batches()).isGreaterThanOrEqualTo(15_001 / Retention.BATCH);
                assertThat(pruned.failedJobs()).isEqualTo(20_000);
                assertThat(pruned.overshoot()).isEmpty();
                assertThat(count(shelf, "SELECT COUNT(*) FROM clips")).isEqualTo(85_000);
                assertThat(shelf.layout.clip("north", goes)).doesNotExist();
                assertThat(shelf.layout.work("a-finished-job")).doesNotExist();
                assertEveryPlanUsesAnIndex(shelf, driver.statements());

                driver.start();
                Retention.Outcome steady = retention.runOnce();
                driver.stop();

                assertThat(steady.clips()).isZero();
                assertThat(driver.prepared()).isLessThan(20);
                assertEveryPlanUsesAnIndex(shelf, driver.statements());
            }
        }
    }

    @Test
    void anAgeLimitOnALargeLibraryAlsoRunsOnIndexes() throws Exception {
        try (TestLibrary shelf = new TestLibrary(dir)) {
            seed(shelf);
            LatentConfig.Retention settings = new LatentConfig.Retention(
                    OptionalLong.empty(),
                    new LatentConfig.ClipLimits(Duration.ofDays(60), 0, 0, 100),
                    Map.of(),
                    Duration.ofDays(14),
                    Duration.ofMinutes(10));

            try (Retention retention = shelf.retention(settings, TestLibrary.roomyDisk(), "north", "south")) {
                driver.start();
                Retention.Outcome pruned = retention.runOnce();
                driver.stop();

                // a clip a minute (the channels in turn), the newest a day old: 59 days of them stay
                assertThat(pruned.clips()).isEqualTo(2 * PER_CHANNEL - 59 * 1440);
                assertEveryPlanUsesAnIndex(shelf, driver.statements());
            }
        }
    }

    /**
     * 50,000 aired clips per channel (one every two minutes per channel, the newest a day old),
     * their mastered jobs, and 20,000 failed jobs a month old.
     */
    private static void seed(TestLibrary shelf) throws Exception {
        long now = TestLibrary.NOW.toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        long minute = Duration.ofMinutes(1).toMillis();
        shelf.db.write(c -> {
            try (PreparedStatement job = c.prepareStatement(
                            "INSERT INTO shot_jobs (id, channel_id, title, prompt, negative_prompt, seed, music_prompt, "
                                    + "sequence, director, stage_order, state, created_at, updated_at) "
                                    + "VALUES (?, ?, 't', 'p', '', 1, '', '', 'test', 'RENDER', ?, ?, ?)");
                    PreparedStatement clip = c.prepareStatement(
                            "INSERT INTO clips (id, job_id, channel_id, title, prompt, negative_prompt, seed, music_prompt, "
                                    + "director, provenance, frames, fps, width, height, duration_s, size_bytes, master_path, "
                                    + "thumbnail_path, mastered_at, seq) VALUES (?, ?, ?, 't', 'p', '', 1, '', 'test', '{}', "
                                    + "64, 24, 256, 144, 2.67, ?, ?, ?, ?, ?)");
                    PreparedStatement programmed = c.prepareStatement(
                            "INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state, airings, "
                                    + "last_start_ticks) VALUES (?, ?, ?, 64, ?, 'AIRED', 1, ?)")) {
                long seq = 1_000; // after any clip the test made before
                for (int i = 0; i < PER_CHANNEL; i++) {
                    for (int k = 0; k < CHANNELS.size(); k++) {
                        String channel = CHANNELS.get(k);
                        String id = String.format("%s-%06d", channel, i);
                        long mastered = now - day - (2L * (PER_CHANNEL - i) - k) * minute;
                        seq++;
                        job.setString(1, id);
                        job.setString(2, channel);
                        job.setString(3, "MASTERED");
                        job.setLong(4, mastered);
                        job.setLong(5, mastered);
                        job.addBatch();
                        clip.setString(1, id);
                        clip.setString(2, id);
                        clip.setString(3, channel);
                        clip.setLong(4, TestLibrary.MASTER_BYTES);
                        clip.setString(5, "clips/" + channel + "/" + id + "/master.mp4");
                        clip.setString(6, "clips/" + channel + "/" + id + "/thumb.jpg");
                        clip.setLong(7, mastered);
                        clip.setLong(8, seq);
                        clip.addBatch();
                        programmed.setString(1, channel);
                        programmed.setString(2, id);
                        programmed.setLong(3, seq);
                        programmed.setLong(4, mastered);
                        programmed.setLong(5, -mastered);
                        programmed.addBatch();
                    }
                }
                for (int i = 0; i < 20_000; i++) {
                    job.setString(1, "failed-" + i);
                    job.setString(2, CHANNELS.get(i % 2));
                    job.setString(3, "FAILED");
                    job.setLong(4, now - 30 * day);
                    job.setLong(5, now - 30 * day);
                    job.addBatch();
                }
                job.executeBatch();
                clip.executeBatch();
                programmed.executeBatch();
            }
            try (PreparedStatement channel =
                    c.prepareStatement("INSERT INTO playout_channel (channel_id, epoch_ms, seen_seq) VALUES (?, 0, ?) "
                            + "ON CONFLICT (channel_id) DO UPDATE SET seen_seq = excluded.seen_seq")) {
                for (String id : CHANNELS) {
                    channel.setString(1, id);
                    channel.setLong(2, 1_000 + 2L * PER_CHANNEL);
                    channel.addBatch();
                }
                channel.executeBatch();
            }
            return null;
        });
    }

    /**
     * Asks SQLite how it runs each statement: a table of the library or history is read only
     * through an index, a range of it only up to a LIMIT, and never sorted whole.
     */
    private static void assertEveryPlanUsesAnIndex(TestLibrary shelf, Set<String> statements) throws Exception {
        assertThat(statements).isNotEmpty();
        List<String> fullScans = new ArrayList<>();
        for (String sql : statements) {
            for (String step : plan(shelf, sql)) {
                if (step.startsWith("USE TEMP B-TREE") && TABLES.stream().anyMatch(sql::contains)) {
                    fullScans.add(step + " (sorts every match)  <-  " + sql);
                }
                var scan = SCAN.matcher(step);
                if (!scan.find() || !TABLES.contains(scan.group(1))) {
                    continue;
                }
                boolean bounded = step.contains(" USING ") && sql.contains(" LIMIT ");
                if (!bounded) {
                    fullScans.add(step + "  <-  " + sql);
                }
            }
        }
        assertThat(fullScans).isEmpty();
    }

    private static List<String> plan(TestLibrary shelf, String sql) throws Exception {
        return shelf.db.read(c -> {
            List<String> steps = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql);
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    steps.add(r.getString("detail"));
                }
            }
            return steps;
        });
    }

    private static long count(TestLibrary shelf, String sql) throws Exception {
        return shelf.db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql);
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }
}
