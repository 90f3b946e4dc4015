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
                job.updatedAt());
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
}
