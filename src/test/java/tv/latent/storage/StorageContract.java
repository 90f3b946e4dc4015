package tv.latent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.audit.Audit;
import tv.latent.auth.Auth;
import tv.latent.config.Budget;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.LostWriteException;
import tv.latent.pipeline.ShotJob;
import tv.latent.pipeline.Spending;
import tv.latent.playout.PlayoutRecords;
import tv.latent.time.MonotonicClock;

/**
 * The storage contract: what LatentTV asks of its database, which every engine must answer alike
 * (SQLite, the default, and PostgreSQL, which several nodes share). Each engine's test subclasses
 * this and says how to open a fresh, migrated database; every statement the code sends is then
 * run on that engine, with the values that differ between engines (epoch milliseconds, seeds and
 * byte counts past 32 bits, reals, NULLs, row-value comparisons, triggers).
 */
public abstract class StorageContract {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    protected Path dir;

    protected Database db;
    protected DataLayout layout;
    protected JobStore jobs;
    protected ClipLibrary library;

    /** A fresh, empty, migrated database of the engine under test. */
    protected abstract Database open(DataLayout layout) throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        layout = new DataLayout(dir.resolve("data")).prepare();
        db = open(layout);
        jobs = new JobStore(db, "node-a", Duration.ofSeconds(30));
        library = new ClipLibrary(db, layout);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    // ------------------------------------------------------------------ vocabulary

    static ShotJob aQueuedShot(String id, String channel, Instant created) {
        return new ShotJob(
                id,
                channel,
                new ShotPlan("Title " + id, "a red fox " + id, "blurry", 5_000_000_000L, "calm strings", "s1"),
                "template",
                "a note",
                JobState.order(true),
                JobState.RENDER,
                0,
                created,
                "",
                Map.of(),
                0,
                created,
                created);
    }

    static ShotJob at(ShotJob job, JobState state) {
        return new ShotJob(
                job.id(),
                job.channelId(),
                job.plan(),
                job.director(),
                job.directorNote(),
                job.order(),
                state,
                job.attempts(),
                job.nextAttemptAt(),
                job.lastError(),
                job.outputs(),
                job.version(),
                job.createdAt(),
                job.updatedAt());
    }

    /** A mastered job and its clip row, written in one transaction as the master step writes them. */
    Clip aMasteredClip(String id, String channel, Instant masteredAt, long bytes, Double lufs) throws Exception {
        ShotJob job = aQueuedShot(id, channel, masteredAt.minusSeconds(60));
        jobs.insert(List.of(job));
        Path clipDir = layout.clip(channel, id);
        Clip clip = new Clip(
                id,
                id,
                channel,
                "Title " + id,
                "a red fox " + id,
                "blurry",
                5_000_000_000L,
                "calm strings",
                "template",
                "{\"render\":{}}",
                64,
                24,
                256,
                144,
                64 / 24.0,
                lufs,
                bytes,
                clipDir.resolve("master.mp4"),
                clipDir.resolve("thumb.jpg"),
                masteredAt,
                false);
        ShotJob.StageRecord master =
                new ShotJob.StageRecord(layout.relative(clipDir.resolve("master.mp4")), "ffmpeg", Map.of(), 1.5, "");
        db.write(c -> {
            library.insert(c, clip);
            ShotJob current = job;
            for (JobState s : List.of(JobState.INTERPOLATE, JobState.UPSCALE, JobState.SCORE, JobState.MASTER)) {
                current = jobs.update(c, current, at(current, s));
            }
            return jobs.update(c, current, current.mastered(master, masteredAt));
        });
        return clip;
    }

    private Set<String> tables() throws Exception {
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    out.add(r.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ the schema

    @Test
    void migratesToTheTablesEveryPartUses() throws Exception {
        assertThat(tables())
                .contains(
                        "shot_jobs",
                        "clips",
                        "clip_totals",
                        "clip_sequence",
                        "playout_channel",
                        "playout_airing",
                        "playout_clip");
    }

    // ------------------------------------------------------------------ shot jobs

    @Test
    void aStoredJobReadsBackWhole() throws Exception {
        ShotJob job = aQueuedShot("job-1", "tv", T0);
        jobs.insert(List.of(job));

        ShotJob read = jobs.find("job-1").orElseThrow();

        assertThat(read).isEqualTo(job);
        assertThat(read.plan().seed()).as("a seed past 32 bits").isEqualTo(5_000_000_000L);
    }

    @Test
    void anUpdateMovesTheVersionOnAndALostWriteIsDetected() throws Exception {
        ShotJob job = aQueuedShot("job-1", "tv", T0);
        jobs.insert(List.of(job));
        ShotJob.StageRecord render =
                new ShotJob.StageRecord("work/job-1/render.mp4", "procedural", Map.of("seed", "1"), 0.25, "");

        ShotJob next = jobs.update(job, job.advanced(JobState.RENDER, render, T0.plusSeconds(5)));

        assertThat(next.version()).isEqualTo(1);
        assertThat(jobs.find("job-1").orElseThrow()).isEqualTo(next);
        assertThat(jobs.find("job-1").orElseThrow().outputs().get(JobState.RENDER))
                .isEqualTo(render);
        assertThatThrownBy(() -> jobs.update(job, at(job, JobState.UPSCALE))).isInstanceOf(LostWriteException.class);
        assertThatThrownBy(() -> jobs.update(next, at(next, JobState.MASTERED)))
                .hasMessageContaining("may not go from");
    }

    @Test
    void dueJobsAreTheUnfinishedOnesOfTheGivenChannelsWhoseTimeHasComeOldestFirst() throws Exception {
        ShotJob first = aQueuedShot("a", "tv", T0);
        ShotJob second = aQueuedShot("b", "tv", T0.plusSeconds(1));
        ShotJob later = aQueuedShot("c", "tv", T0.plusSeconds(2));
        ShotJob otherChannel = aQueuedShot("d", "news", T0);
        jobs.insert(List.of(later, second, first, otherChannel));
        jobs.update(later, later.retryAt(1, T0.plus(Duration.ofMinutes(5)), "render failed", T0));

        assertThat(jobs.due(T0.plusSeconds(10), List.of("tv"), 10))
                .extracting(ShotJob::id)
                .containsExactly("a", "b");
        assertThat(jobs.due(T0.plus(Duration.ofMinutes(6)), List.of("tv"), 10))
                .extracting(ShotJob::id)
                .containsExactly("a", "b", "c");
        assertThat(jobs.claim(T0.plusSeconds(10), List.of("tv", "news"), 2))
                .extracting(ShotJob::id)
                .containsExactly("a", "d");
    }

    @Test
    void aRowThatCannotBeReadFailsWithItsReasonAndTheOthersAreReturned() throws Exception {
        jobs.insert(List.of(aQueuedShot("good", "tv", T0), aQueuedShot("bad", "tv", T0.plusSeconds(1))));
        db.write(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE shot_jobs SET outputs = 'not json' WHERE id = 'bad'")) {
                return s.executeUpdate();
            }
        });

        assertThat(jobs.due(T0.plusSeconds(5), List.of("tv"), 10))
                .extracting(ShotJob::id)
                .containsExactly("good");
        ShotJob bad = jobs.list("tv", 10).stream()
                .filter(j -> j.id().equals("bad"))
                .findFirst()
                .orElse(null);
        assertThat(bad).as("an unreadable row is left out of lists").isNull();
        assertThat(jobs.states(List.of("good", "bad")))
                .containsEntry("good", JobState.RENDER)
                .containsEntry("bad", JobState.FAILED);
    }

    @Test
    void countsStatesAndPrunesFailedJobsOldestFirst() throws Exception {
        List<ShotJob> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(aQueuedShot("j" + i, "tv", T0.plusSeconds(i)));
        }
        jobs.insert(all);
        for (int i = 0; i < 3; i++) {
            ShotJob j = all.get(i);
            jobs.update(j, j.failed(3, "render failed", T0.plusSeconds(100 + i)));
        }

        assertThat(jobs.unfinished("tv")).isEqualTo(2);
        assertThat(jobs.unfinished()).extracting(ShotJob::id).containsExactly("j3", "j4");
        assertThat(jobs.unfinishedCounts()).isEqualTo(Map.of("tv", Map.of(JobState.RENDER, 2)));
        assertThat(jobs.list("tv", 2)).extracting(ShotJob::id).containsExactly("j4", "j3");
        assertThat(jobs.recentPrompts("tv", 1)).containsExactly("a red fox j4");

        assertThat(jobs.pruneFailed(T0.plusSeconds(102), 10)).isEqualTo(2);
        assertThat(jobs.states(List.of("j0", "j1", "j2"))).containsOnlyKeys("j2");
        boolean stillMade = db.write(c -> jobs.deleteFinished(c, "j3"));
        boolean failed = db.write(c -> jobs.deleteFinished(c, "j2"));
        assertThat(stillMade).as("a job still being made stays").isFalse();
        assertThat(failed).isTrue();
    }

    // ------------------------------------------------------------------ clips

    @Test
    void aClipReadsBackWholeWithItsNullsRealsAndLongs() throws Exception {
        Clip loud = aMasteredClip("c1", "tv", T0, 6_000_000_000L, -16.25);
        Clip silent = aMasteredClip("c2", "tv", T0.plusSeconds(1), 1_000, null);

        Clip read = library.find("c1").orElseThrow();
        assertThat(read).isEqualTo(loud);
        assertThat(library.find("c2").orElseThrow().loudnessLufs()).isNull();
        assertThat(library.find("c2").orElseThrow()).isEqualTo(silent);
        assertThat(jobs.find("c1").orElseThrow().state()).isEqualTo(JobState.MASTERED);
        assertThat(library.count("tv")).isEqualTo(2);
        assertThat(library.list("tv", 10)).extracting(Clip::id).containsExactly("c2", "c1");
        assertThat(library.inMasteringOrder("tv")).extracting(Clip::id).containsExactly("c1", "c2");
        assertThat(library.existing(List.of("c1", "c9"))).containsExactly("c1");
    }

    @Test
    void theOrderOfArrivalNeverGoesBackEvenWhenTheNewestClipIsDeleted() throws Exception {
        aMasteredClip("c1", "tv", T0, 1_000, -16.0);
        aMasteredClip("c2", "tv", T0.plusSeconds(1), 1_000, -16.0);
        assertThat(library.newestSeq()).isEqualTo(2);

        db.write(c -> library.deleteUnlessKept(c, "c2") && jobs.deleteFinished(c, "c2"));
        aMasteredClip("c3", "tv", T0.plusSeconds(2), 1_000, -16.0);

        assertThat(library.arrivedAfter("tv", 0, 10))
                .extracting(ClipLibrary.Arrival::seq)
                .containsExactly(1L, 3L);
        assertThat(library.arrivedAfter("tv", 1, 10))
                .extracting(a -> a.clip().id())
                .containsExactly("c3");
    }

    @Test
    void totalsFollowInsertsAndDeletesThroughTriggers() throws Exception {
        aMasteredClip("c1", "tv", T0, 5_000_000_000L, -16.0);
        aMasteredClip("c2", "tv", T0.plusSeconds(1), 1_000, -16.0);
        aMasteredClip("n1", "news", T0, 7, -16.0);

        assertThat(library.totals())
                .containsExactlyInAnyOrder(
                        new ClipLibrary.Totals("tv", 2, 5_000_001_000L), new ClipLibrary.Totals("news", 1, 7));

        db.write(c -> library.deleteUnlessKept(c, "c1"));
        assertThat(library.totals())
                .containsExactlyInAnyOrder(
                        new ClipLibrary.Totals("tv", 1, 1_000), new ClipLibrary.Totals("news", 1, 7));
    }

    @Test
    void retentionReadsUnkeptClipsByAgeRangesAndNeverDeletesAKeptOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            aMasteredClip("c" + i, "tv", T0.plusSeconds(i), 100, -16.0);
        }
        aMasteredClip("n0", "news", T0, 100, -16.0);
        assertThat(library.keep("c1", true)).isTrue();
        assertThat(library.keep("nope", true)).isFalse();

        assertThat(library.oldestUnkept("tv", null, null, 10))
                .extracting(ClipLibrary.Entry::id)
                .containsExactly("c0", "c2", "c3", "c4");
        ClipLibrary.Age after = new ClipLibrary.Age(T0.plusSeconds(2).toEpochMilli(), "c2");
        ClipLibrary.Age before = new ClipLibrary.Age(T0.plusSeconds(4).toEpochMilli(), "c4");
        assertThat(library.oldestUnkept("tv", after, before, 10))
                .extracting(ClipLibrary.Entry::id)
                .containsExactly("c3");
        assertThat(library.oldestUnkept(null, null, null, 2))
                .extracting(ClipLibrary.Entry::id)
                .containsExactly("c0", "n0");
        assertThat(library.nthNewest("tv", 2))
                .contains(new ClipLibrary.Age(T0.plusSeconds(3).toEpochMilli(), "c3"));
        assertThat(library.nthNewest("tv", 6)).isEmpty();
        boolean deleted = db.write(c -> library.deleteUnlessKept(c, "c1"));
        assertThat(deleted).isFalse();
        assertThat(library.find("c1")).isPresent();
    }

    // ------------------------------------------------------------------ playout's records

    @Test
    void playoutNeedsFreshClipsTheNewestAiringsAndTheNextRerunsAndForgetsAClipInTheSameTransaction() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(aMasteredClip("c" + i, "tv", T0.plusSeconds(i), 100, -16.0).id());
        }
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_channel (channel_id, epoch_ms, seen_seq) VALUES ('tv', ?, 11)")) {
                s.setLong(1, T0.toEpochMilli());
                s.executeUpdate();
            }
            // c0..c10 taken in: c0..c9 aired (c0 least recently), c10 fresh; c11 arrived after
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state, airings, last_start_ticks) "
                            + "SELECT channel_id, id, seq, frames, mastered_at, ?, ?, ? FROM clips WHERE id = ?")) {
                for (int i = 0; i <= 10; i++) {
                    boolean aired = i < 10;
                    s.setString(1, aired ? "AIRED" : "FRESH");
                    s.setInt(2, aired ? 1 : 0);
                    if (aired) {
                        s.setLong(3, 90_000L * 3_600 * 24 * 40 + i); // ticks past 32 bits
                    } else {
                        s.setNull(3, java.sql.Types.BIGINT);
                    }
                    s.setString(4, "c" + i);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO playout_airing (channel_id, first_media_sequence, start_ticks, frames, segments, "
                            + "discontinuity, discontinuity_sequence, clip_id, master, title, prompt, fresh, counters) "
                            + "VALUES ('tv', ?, ?, 64, 2, 0, 0, 'c9', 'clips/tv/c9/master.mp4', 't', 'p', 0, '256:3')")) {
                s.setLong(1, 5_000_000_000L);
                s.setLong(2, 90_000L * 3_600 * 24 * 40);
                s.executeUpdate();
            }
            return null;
        });
        PlayoutRecords records = new PlayoutRecords(db);
        List<PlayoutRecords.ClipRef> refs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            refs.add(new PlayoutRecords.ClipRef("c" + i, i + 1));
        }

        Map<String, PlayoutRecords.Need> needed = records.needed("tv", refs);

        assertThat(needed)
                .containsEntry("c9", PlayoutRecords.Need.ON_TIMELINE)
                .containsEntry("c0", PlayoutRecords.Need.NEXT_RERUN)
                .containsEntry("c7", PlayoutRecords.Need.NEXT_RERUN)
                .containsEntry("c10", PlayoutRecords.Need.FRESH)
                .containsEntry("c11", PlayoutRecords.Need.FRESH)
                .doesNotContainKey("c8");

        db.write(c -> {
            records.forget(c, "tv", "c0");
            return library.deleteUnlessKept(c, "c0");
        });
        assertThat(records.needed("tv", refs))
                .doesNotContainKey("c0")
                .containsEntry("c8", PlayoutRecords.Need.NEXT_RERUN);
        assertThat(ids).hasSize(12);
    }

    // ------------------------------------------------------------------ the engine

    @Test
    void aFailedTransactionLeavesNothingBehind() throws Exception {
        ShotJob job = aQueuedShot("job-1", "tv", T0);
        assertThatThrownBy(() -> db.write(c -> {
                    try (PreparedStatement s =
                            c.prepareStatement("INSERT INTO playout_channel (channel_id, epoch_ms) VALUES ('tv', 1)")) {
                        s.executeUpdate();
                    }
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        jobs.insert(List.of(job));

        long channels = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM playout_channel");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
        assertThat(channels).isZero();
        assertThat(jobs.find("job-1")).map(ShotJob::id).isEqualTo(Optional.of("job-1"));
    }

    @Test
    void theDatabaseTellsTheTime() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        assertThat(db.now()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(db.answers(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void spendAuditAndOperatorsWriteAndReadAlike() throws Exception {
        InstantSource clock = InstantSource.fixed(T0);
        Spending spending = new Spending(db, "USD", new Budget(100, 1000), Map.of(), clock);
        spending.reserve("news", "fal", 0.25).orElseThrow().commit("j1", JobState.RENDER, 0.25);
        spending.reserve("news", "fal", 0.5).orElseThrow().commit("j2", JobState.RENDER, 0.5);
        spending.aired("news", 30);
        spending.flush();
        Spending.ChannelSpend news = spending.status("news");
        assertThat(news.lastHour()).isEqualTo(0.75);
        assertThat(news.total()).isEqualTo(0.75);
        assertThat(spending.ofJob("j2")).isEqualTo(0.5);

        Audit audit = new Audit(db, clock, Duration.ofDays(1));
        audit.record("ada", "pause", "news", "");
        audit.record("ada", "resume", "news", "");
        Audit.Page page = audit.page(java.util.OptionalLong.empty(), 10);
        assertThat(page.entries()).extracting(Audit.Entry::action).containsExactly("resume", "pause");
        assertThatThrownBy(() -> db.write(c -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE audit_log SET actor = 'eve'")) {
                        return s.executeUpdate();
                    }
                }))
                .hasStackTraceContaining("append-only");

        Auth auth = new Auth(db, clock, MonotonicClock.system(), Auth.Settings.DEFAULT);
        assertThat(auth.firstStart(name -> null)).isPresent();
        assertThat(auth.firstStart(name -> null)).isEmpty();
    }
}
