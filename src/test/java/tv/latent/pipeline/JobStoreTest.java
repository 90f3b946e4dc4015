package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.director.ShotPlan;
import tv.latent.library.Database;

class JobStoreTest {
    @TempDir
    Path dir;

    private static ShotJob aQueuedShot() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        return new ShotJob(
                "job-1",
                "test",
                new ShotPlan(null, "a red fox", "", 1, "calm", "s1"),
                "template",
                "",
                JobState.order(true),
                JobState.RENDER,
                0,
                now,
                "",
                Map.of(),
                0,
                now,
                now);
    }

    private static ShotJob in(ShotJob job, JobState state) {
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
                job.updatedAt(),
                job.priority(),
                job.continues());
    }

    @Test
    void detectsALostWrite() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            ShotJob job = aQueuedShot();
            store.insert(List.of(job));
            store.update(job, in(job, JobState.INTERPOLATE));
            assertThatThrownBy(() -> store.update(job, in(job, JobState.UPSCALE)))
                    .isInstanceOf(LostWriteException.class);
        }
    }

    @Test
    void refusesTransitionsTheTableForbids() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            ShotJob job = aQueuedShot();
            store.insert(List.of(job));
            assertThatThrownBy(() -> store.update(job, in(job, JobState.MASTERED)))
                    .hasMessageContaining("may not go from RENDER to MASTERED");
        }
    }

    @Test
    void masteredIsFinalAndFailedCanBeRetried() {
        assertThat(JobState.MASTERED.mayBecome(JobState.RENDER)).isFalse();
        assertThat(JobState.FAILED.mayBecome(JobState.UPSCALE)).isTrue();
    }

    @Test
    void versionsIncreaseWithEveryUpdate() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            ShotJob job = aQueuedShot();
            store.insert(List.of(job));
            ShotJob next = store.update(job, in(job, JobState.INTERPOLATE));
            assertThat(next.version()).isEqualTo(1);
            assertThat(store.find("job-1").orElseThrow().state()).isEqualTo(JobState.INTERPOLATE);
        }
    }

    private static ShotJob aQueuedShot(String id, String channel, Instant at) {
        ShotJob base = aQueuedShot();
        return new ShotJob(
                id,
                channel,
                base.plan(),
                base.director(),
                base.directorNote(),
                base.order(),
                JobState.RENDER,
                0,
                at,
                "",
                Map.of(),
                0,
                at,
                at);
    }

    @Test
    void jobsOfChannelsNoLongerConfiguredDoNotTakeThePlacesOfOthers() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            Instant t = Instant.parse("2026-11-22T10:00:00Z");
            List<ShotJob> gone = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                gone.add(aQueuedShot("gone-" + i, "removed", t.plusSeconds(i)));
            }
            store.insert(gone);
            store.insert(List.of(aQueuedShot("live-1", "news", t.plusSeconds(100))));

            List<ShotJob> due = store.due(t.plusSeconds(200), List.of("news"), 4);

            assertThat(due).extracting(ShotJob::id).containsExactly("live-1");
        }
    }

    @Test
    void anUnreadableRowFailsThatJobWithItsReasonAndTheOthersStillRun() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            Instant t = Instant.parse("2026-11-22T10:00:00Z");
            store.insert(List.of(aQueuedShot("bad", "news", t), aQueuedShot("good", "news", t.plusSeconds(1))));
            db.write(c ->
                    c.createStatement().executeUpdate("UPDATE shot_jobs SET outputs = '{not json' WHERE id = 'bad'"));

            List<ShotJob> due = store.due(t.plusSeconds(10), List.of("news"), 4);

            assertThat(due).extracting(ShotJob::id).containsExactly("good");
            String[] stored = db.read(c -> {
                try (var r =
                        c.createStatement().executeQuery("SELECT state, last_error FROM shot_jobs WHERE id = 'bad'")) {
                    r.next();
                    return new String[] {r.getString(1), r.getString(2)};
                }
            });
            assertThat(stored[0]).isEqualTo("FAILED");
            assertThat(stored[1]).contains("cannot be read").contains("JSON");
        }
    }

    @Test
    void aRetryStoredUnderAWallClockThatWentBackIsDueNow() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            ShotJob later = aQueuedShot("later", "news", now);
            ShotJob farAway = aQueuedShot("far", "news", now);
            store.insert(List.of(later, farAway));
            store.update(later, later.retryAt(1, now.plusSeconds(30), "render failed: busy", now));
            // stored when the wall clock was a day ahead of now
            store.update(farAway, farAway.retryAt(1, now.plus(java.time.Duration.ofDays(1)), "render failed", now));

            assertThat(store.due(now, List.of("news"), 4))
                    .extracting(ShotJob::id)
                    .containsExactly("far");
        }
    }

    @Test
    void aShotAheadIsDueBeforeOlderShotsAndKeepsItsPriorityWhenStored() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            JobStore store = new JobStore(db);
            ShotJob old = aQueuedShot();
            ShotJob viewer = new ShotJob(
                    "job-2",
                    "test",
                    old.plan(),
                    "template",
                    "",
                    old.order(),
                    JobState.RENDER,
                    0,
                    old.nextAttemptAt(),
                    "",
                    Map.of(),
                    0,
                    old.createdAt().plusSeconds(60),
                    old.createdAt().plusSeconds(60),
                    ShotJob.AHEAD,
                    "");
            store.insert(List.of(old, viewer));
            assertThat(store.due(old.createdAt().plusSeconds(120), List.of("test"), 4))
                    .extracting(ShotJob::id)
                    .containsExactly("job-2", "job-1");
            ShotJob moved = store.update(viewer, in(viewer, JobState.INTERPOLATE));
            assertThat(store.find("job-2").orElseThrow().priority()).isEqualTo(ShotJob.AHEAD);
            assertThat(moved.priority()).isEqualTo(ShotJob.AHEAD);
        }
    }

    @Test
    void theQueuesQueriesUseTheirIndexesNotAScanOfTheHistory() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"))) {
            List<String> plans = db.read(c -> {
                List<String> out = new java.util.ArrayList<>();
                for (String sql : List.of(
                        "EXPLAIN QUERY PLAN SELECT * FROM shot_jobs WHERE state NOT IN ('MASTERED', 'FAILED') "
                                + "AND channel_id IN (?) AND (next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY priority DESC, created_at, id LIMIT 8",
                        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM shot_jobs WHERE channel_id = ? AND state NOT IN ('MASTERED', 'FAILED')")) {
                    try (var r = c.createStatement().executeQuery(sql)) {
                        StringBuilder plan = new StringBuilder();
                        while (r.next()) {
                            plan.append(r.getString("detail")).append("; ");
                        }
                        out.add(plan.toString());
                    }
                }
                return out;
            });
            assertThat(plans).allSatisfy(plan -> assertThat(plan)
                    .contains("USING INDEX shot_jobs_unfinished")
                    .doesNotContain("SCAN shot_jobs\b"));
        }
    }
}
