package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static tv.latent.retention.TestLibrary.limits;
import static tv.latent.retention.TestLibrary.maxClips;
import static tv.latent.retention.TestLibrary.roomyDisk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.library.ClipLibrary;
import tv.latent.pipeline.JobState;
import tv.latent.playout.PlayoutRecords;

/**
 * A deletion cut short at each of its steps, and the sweep that the next start runs: nothing is
 * left dangling, and nothing live is swept.
 */
class CrashAndSweepTest {
    @TempDir
    Path dir;

    TestLibrary shelf;
    ClipRemoval removal;

    @BeforeEach
    void open() throws Exception {
        shelf = new TestLibrary(dir);
        removal = new ClipRemoval(shelf.db, shelf.layout, shelf.library, shelf.jobs, new PlayoutRecords(shelf.db));
    }

    @AfterEach
    void close() {
        shelf.close();
    }

    /** What the next start runs first: a full sweep and a pass, with limits the library already meets. */
    private Retention.Outcome nextStart() throws Exception {
        LatentConfig.Retention roomy = limits(OptionalLong.of(Long.MAX_VALUE), LatentConfig.ClipLimits.DEFAULT);
        try (Retention retention = shelf.retention(roomy, roomyDisk(), "news")) {
            return retention.prune();
        }
    }

    private List<ClipLibrary.Entry> oldest(int count) throws Exception {
        return shelf.library.oldestUnkept("news", null, null, count);
    }

    @Test
    void aCrashBeforeTheRowsWentLeavesTheClipsWhole() throws Exception {
        List<String> clips = shelf.airedClips("news", 6, Duration.ofDays(1));
        oldest(3); // chosen, then the process died

        Retention.Outcome outcome = nextStart();

        assertThat(outcome.leftovers()).isZero();
        assertThat(shelf.clipRows()).containsExactlyInAnyOrderElementsOf(clips);
        assertThat(shelf.dangling()).isEmpty();
    }

    @Test
    void aCrashAfterTheRowsWentLeavesNothingOnceTheNextStartHasSwept() throws Exception {
        List<String> clips = shelf.airedClips("news", 6, Duration.ofDays(1));
        List<ClipLibrary.Entry> gone = removal.forgetRows(oldest(3)); // then the process died
        assertThat(shelf.dangling())
                .containsExactlyInAnyOrder(
                        "directory " + clips.get(0) + " has no clip row",
                        "directory " + clips.get(1) + " has no clip row",
                        "directory " + clips.get(2) + " has no clip row");

        Retention.Outcome outcome = nextStart();

        assertThat(outcome.leftovers()).isEqualTo(3);
        assertThat(shelf.dangling()).isEmpty();
        assertThat(shelf.clipRows()).containsExactlyInAnyOrderElementsOf(clips.subList(3, 6));
        assertThat(gone).hasSize(3);
    }

    @Test
    void aCrashHalfwayThroughTheFilesLeavesNothingOnceTheNextStartHasSwept() throws Exception {
        List<String> clips = shelf.airedClips("news", 6, Duration.ofDays(1));
        List<ClipLibrary.Entry> gone = removal.forgetRows(oldest(3));
        removal.deleteFiles(gone.get(0));
        Files.delete(gone.get(1).master()); // the process died while deleting the second clip's files

        nextStart();

        assertThat(shelf.dangling()).isEmpty();
        assertThat(shelf.clipDirs()).containsExactlyInAnyOrderElementsOf(clips.subList(3, 6));
    }

    @Test
    void aCrashWhileMasteringLeavesTheNewClipsDirectoryForItsJobToFinish() throws Exception {
        // mastering moves the clip's directory in place, then writes the row: a crash in between
        insertJob("mastering", JobState.MASTER);
        Path inPlace = shelf.layout.clip("news", "mastering");
        Files.createDirectories(inPlace);
        Files.writeString(inPlace.resolve("master.mp4"), "not yet in the library");
        insertJob("failed", JobState.FAILED);
        Files.createDirectories(shelf.layout.clip("news", "failed"));

        nextStart();

        assertThat(inPlace).isDirectory();
        assertThat(shelf.layout.clip("news", "failed")).doesNotExist();
    }

    @Test
    void theSweepRemovesWorkOfFinishedJobsStaleTemporaryCutsAndTmpButNothingLive() throws Exception {
        String clip = shelf.anAiredClip("news", Duration.ofDays(1));
        FileTime stale = FileTime.from(TestLibrary.NOW.minus(Duration.ofDays(1)));
        insertJob("rendering", JobState.RENDER);
        insertJob("failed", JobState.FAILED);
        Path running = work("rendering");
        Path ofFailed = work("failed");
        Path ofGone = work("gone");
        Path staleCut = dirAged(shelf.layout.clip("news", clip).resolve(".hls-cut-123"), stale);
        Path liveCut = dirAged(shelf.layout.clip("news", clip).resolve(".hls-cut-456"), null);
        Path staleSlateCut = dirAged(shelf.layout.channel("news").resolve(".hls-cut-789"), stale);
        Path staleTmp = dirAged(shelf.layout.tmp().resolve("master-aaaa-1"), stale);
        Path liveTmp = dirAged(shelf.layout.tmp().resolve("master-bbbb-2"), null);

        Retention.Outcome outcome = nextStart();

        assertThat(running).isDirectory();
        assertThat(liveCut).isDirectory();
        assertThat(liveTmp).isDirectory();
        assertThat(ofFailed).doesNotExist();
        assertThat(ofGone).doesNotExist();
        assertThat(staleCut).doesNotExist();
        assertThat(staleSlateCut).doesNotExist();
        assertThat(staleTmp).doesNotExist();
        assertThat(outcome.leftovers()).isEqualTo(5);
        assertThat(shelf.dangling()).isEmpty();
    }

    @Test
    void theSweepBetweenStartsLeavesClipDirectoriesAloneAndSweepsWork() throws Exception {
        shelf.airedClips("news", 3, Duration.ofDays(1));
        removal.forgetRows(oldest(1));
        Path ofGone = work("gone");
        try (Retention retention =
                shelf.retention(limits(OptionalLong.of(Long.MAX_VALUE), maxClips(0, 1)), roomyDisk(), "news")) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.leftovers()).isEqualTo(1);
            assertThat(ofGone).doesNotExist();
            // the orphaned clip directory waits for the full sweep (at start, and once a day)
            assertThat(shelf.dangling()).hasSize(1);
        }
    }

    private Path work(String jobId) throws Exception {
        Path dir = shelf.layout.work(jobId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("render.mp4"), "frames");
        return dir;
    }

    /** A directory with a file in it, both last modified at {@code time} (null: now). */
    private static Path dirAged(Path dir, FileTime time) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("0.ts"), "segment");
        if (time != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.toList()) {
                    Files.setLastModifiedTime(p, time);
                }
            }
        }
        return dir;
    }

    private void insertJob(String id, JobState state) throws Exception {
        shelf.jobs.insert(List.of(TestLibrary.aJob(id, "news", state, TestLibrary.NOW)));
    }
}
