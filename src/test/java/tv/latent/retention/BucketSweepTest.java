package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.pipeline.JobState;
import tv.latent.storage.S3Store;
import tv.latent.testing.S3Server;
import tv.latent.testing.SlowTest;

/**
 * The sweep of a cluster's bucket (a real S3-compatible server): the {@code work/} folders of
 * finished or deleted jobs go, such as the one a node cut off mid-upload leaves after another
 * node mastered its job; those of unfinished jobs, and everything outside {@code work/}, stay.
 */
@SlowTest
class BucketSweepTest {
    @TempDir
    Path dir;

    TestLibrary shelf;
    S3Server s3;
    S3Store.Settings bucket;

    @BeforeEach
    void open() throws Exception {
        shelf = new TestLibrary(dir);
        s3 = S3Server.start();
        bucket = s3.newBucket();
    }

    @AfterEach
    void close() {
        shelf.close();
        s3.close();
    }

    @Test
    void theWorkFoldersOfFinishedOrDeletedJobsLeaveTheBucketAndUnfinishedJobsKeepTheirs() throws Exception {
        shelf.jobs.insert(List.of(
                TestLibrary.aJob("job-making", "news", JobState.UPSCALE, TestLibrary.NOW),
                TestLibrary.aJob("job-mastered", "news", JobState.MASTERED, TestLibrary.NOW),
                TestLibrary.aJob("job-failed", "news", JobState.FAILED, TestLibrary.NOW)));
        Path file = Files.writeString(dir.resolve("render.mp4"), "frames");
        try (S3Store store = S3Store.open(bucket)) {
            for (String key : List.of(
                    "work/job-making/render.mp4",
                    "work/job-making/interpolate.mp4",
                    "work/job-mastered/render.mp4", // the late upload of a node that was cut off
                    "work/job-failed/render.mp4",
                    "work/job-deleted/render.mp4", // its row was pruned
                    "clips/news/clip-1/master.mp4")) {
                store.store(key, file);
            }
            assertThat(store.children("work/"))
                    .containsExactlyInAnyOrder("job-making", "job-mastered", "job-failed", "job-deleted");

            Sweeper sweeper = new Sweeper(shelf.layout, shelf.library, shelf.jobs, InstantSource.system(), store);
            Sweeper.Swept swept = sweeper.light();

            assertThat(swept.workDirs()).isEqualTo(3);
            assertThat(s3.keys(bucket.bucket()))
                    .containsExactly(
                            "clips/news/clip-1/master.mp4",
                            "work/job-making/interpolate.mp4",
                            "work/job-making/render.mp4");
            assertThat(sweeper.light().workDirs()).as("nothing left to sweep").isZero();

            // with the bucket down, the sweep of the disk (and so the retention pass) still runs
            s3.stop();
            Path leftover = Files.createDirectories(shelf.layout.work("job-gone-too"));
            Files.writeString(leftover.resolve("render.mp4"), "frames");
            assertThat(sweeper.light().workDirs())
                    .as("the disk's leftover only")
                    .isEqualTo(1);
            assertThat(leftover).doesNotExist();
        }
    }
}
