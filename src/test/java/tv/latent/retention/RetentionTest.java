package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static tv.latent.retention.TestLibrary.MASTER_BYTES;
import static tv.latent.retention.TestLibrary.limits;
import static tv.latent.retention.TestLibrary.maxAge;
import static tv.latent.retention.TestLibrary.maxClips;
import static tv.latent.retention.TestLibrary.maxDisk;
import static tv.latent.retention.TestLibrary.noLimits;
import static tv.latent.retention.TestLibrary.roomyDisk;
import static tv.latent.retention.TestLibrary.sorted;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.pipeline.JobState;

class RetentionTest {
    @TempDir
    Path dir;

    TestLibrary shelf;

    @BeforeEach
    void open() throws Exception {
        shelf = new TestLibrary(dir);
    }

    @AfterEach
    void close() {
        shelf.close();
    }

    private static final LatentConfig.Retention NO_LIBRARY_BUDGET =
            limits(OptionalLong.of(Long.MAX_VALUE), LatentConfig.ClipLimits.DEFAULT);

    @Test
    void deletesClipsOlderThanMaxAgeAndOnlyThose() throws Exception {
        List<String> clips = shelf.airedClips("news", 20, Duration.ofDays(1)); // 20 days old .. 1 day old
        try (Retention retention = shelf.retention(
                limits(OptionalLong.empty(), maxAge(Duration.ofDays(10).plusHours(12), 1)), roomyDisk(), "news")) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.clips()).isEqualTo(10);
            assertThat(shelf.clipRows()).isEqualTo(sorted(clips.subList(10, 20)));
            assertThat(outcome.overshoot()).isEmpty();
            assertThat(shelf.dangling()).isEmpty();
        }
    }

    @Test
    void deletesTheOldestClipsOverMaxClips() throws Exception {
        List<String> clips = shelf.airedClips("news", 30, Duration.ofDays(1));
        try (Retention retention = shelf.retention(limits(OptionalLong.empty(), maxClips(25, 1)), roomyDisk())) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.clips()).isEqualTo(5);
            assertThat(shelf.clipRows()).isEqualTo(sorted(clips.subList(5, 30)));
            assertThat(retention.clipsDeleted()).isEqualTo(5);
            // master + thumbnail + one segment of each
            assertThat(retention.bytesDeleted()).isEqualTo(5 * (2 * MASTER_BYTES + 100));
            assertThat(shelf.dangling()).isEmpty();
        }
    }

    @Test
    void deletesTheOldestClipsUntilTheChannelFitsItsDiskBudget() throws Exception {
        List<String> news = shelf.airedClips("news", 20, Duration.ofDays(1));
        List<String> weather = shelf.airedClips("weather", 20, Duration.ofDays(1));
        long twelveClips = 12 * Retention.footprint(MASTER_BYTES);
        LatentConfig.Retention settings = new LatentConfig.Retention(
                OptionalLong.empty(),
                LatentConfig.ClipLimits.DEFAULT,
                Map.of("news", maxDisk(twelveClips, 1)),
                Duration.ofDays(14),
                Duration.ofMinutes(10));
        try (Retention retention = shelf.retention(settings, roomyDisk(), "news", "weather")) {
            retention.runOnce();

            List<String> left = new ArrayList<>(news.subList(8, 20));
            left.addAll(weather);
            assertThat(shelf.clipRows()).isEqualTo(sorted(left));
        }
    }

    @Test
    void deletesTheOldestClipsAcrossChannelsUntilTheLibraryFitsItsBudget() throws Exception {
        List<String> news = shelf.airedClips("news", 20, Duration.ofDays(1)); // 20 .. 1 days old
        List<String> weather = shelf.airedClips("weather", 20, Duration.ofHours(12)); // 19.5 .. 0.5 days old
        long clips34 = 34 * Retention.footprint(MASTER_BYTES);
        try (Retention retention = shelf.retention(limits(OptionalLong.of(clips34), noLimits(1)), roomyDisk())) {
            Retention.Outcome outcome = retention.runOnce();

            // the six oldest of the library, taken in turn from both channels
            assertThat(outcome.clips()).isEqualTo(6);
            List<String> left = new ArrayList<>(news.subList(3, 20));
            left.addAll(weather.subList(3, 20));
            assertThat(shelf.clipRows()).isEqualTo(sorted(left));
            assertThat(outcome.overshoot()).isEmpty();
        }
    }

    @Test
    void theAutomaticBudgetDeletesUntilTwiceTheGuardsThresholdWouldBeFree() throws Exception {
        List<String> clips = shelf.airedClips("news", 20, Duration.ofDays(1));
        long threshold = LatentConfig.DiskGuard.DEFAULT.minFreeBytes();
        long short5Clips = 5 * Retention.footprint(MASTER_BYTES);
        DiskGuard guard = TestLibrary.guard(2 * threshold - short5Clips, 100L << 30);
        try (Retention retention = shelf.retention(limits(OptionalLong.empty(), noLimits(1)), guard)) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.clips()).isEqualTo(5);
            assertThat(shelf.clipRows()).isEqualTo(sorted(clips.subList(5, 20)));
        }
    }

    @Test
    void neverDeletesKeptFreshArrivingScheduledOrNextRerunClipsAndReportsTheOvershoot() throws Exception {
        String kept = shelf.aKeptClip("news", Duration.ofDays(40));
        String fresh = shelf.aFreshClip("news", Duration.ofDays(39));
        String onAir = shelf.anAiredClip("news", Duration.ofDays(38));
        String rerun = shelf.anAiredClip("news", Duration.ofDays(37));
        String ordinary = shelf.anAiredClip("news", Duration.ofDays(36));
        shelf.airedClips("news", 10, Duration.ofDays(1));
        String arriving = shelf.anArrivingClip("news", Duration.ofDays(35));
        shelf.onTimeline("news", onAir);
        shelf.nextToRerun("news", rerun);

        try (Retention retention =
                shelf.retention(limits(OptionalLong.of(0), maxAge(Duration.ofDays(30), 1)), roomyDisk(), "news")) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(shelf.clipRows())
                    .contains(kept, fresh, onAir, rerun, arriving)
                    .doesNotContain(ordinary);
            // the library budget of 0 bytes could not be met: what stays is reported
            assertThat(outcome.overshoot()).singleElement().asString().startsWith("library: ");
            assertThat(shelf.dangling()).isEmpty();
        }
    }

    @Test
    void anOvershootOfAChannelLimitIsReportedWithWhatStays() throws Exception {
        for (int i = 0; i < 5; i++) {
            shelf.aFreshClip("news", Duration.ofDays(5 - i));
        }
        try (Retention retention = shelf.retention(limits(OptionalLong.empty(), maxClips(2, 1)), roomyDisk(), "news")) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.clips()).isZero();
            assertThat(outcome.overshoot())
                    .singleElement()
                    .asString()
                    .contains("channel news: 3 clips over maxClips 2 cannot go");
        }
    }

    @Test
    void neverGoesBelowTheNewestMinClipsOfAChannel() throws Exception {
        List<String> clips = shelf.airedClips("news", 30, Duration.ofDays(1));
        try (Retention retention =
                shelf.retention(limits(OptionalLong.of(0), maxAge(Duration.ofDays(2), 12)), roomyDisk(), "news")) {
            retention.runOnce();

            assertThat(shelf.clipRows()).isEqualTo(sorted(clips.subList(18, 30)));
        }
    }

    @Test
    void unairedClipsOfAChannelNoLongerConfiguredMayGo() throws Exception {
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gone.add(shelf.aFreshClip("old", Duration.ofDays(50 - i)));
        }
        String newest = shelf.aFreshClip("old", Duration.ofDays(1));
        try (Retention retention =
                shelf.retention(limits(OptionalLong.empty(), maxAge(Duration.ofDays(30), 1)), roomyDisk(), "news")) {
            retention.runOnce();

            assertThat(shelf.clipRows()).containsExactly(newest);
        }
    }

    @Test
    void aDryRunDeletesNothingAndNamesWhatAPassDeletesWithItsReason() throws Exception {
        shelf.airedClips("news", 15, Duration.ofDays(1));
        try (Retention retention = shelf.retention(limits(OptionalLong.empty(), maxClips(10, 1)), roomyDisk())) {
            List<Retention.Deletion> planned = new ArrayList<>();
            Retention.Outcome dry = retention.dryRun(planned::add);

            assertThat(shelf.clipRows()).hasSize(15);
            assertThat(dry.clips()).isEqualTo(5);
            assertThat(planned)
                    .allSatisfy(d -> assertThat(d.reason()).isEqualTo("channel news has more than 10 clips"));
            List<String> named =
                    planned.stream().map(Retention.Deletion::clipId).toList();

            retention.runOnce();
            assertThat(shelf.clipRows()).doesNotContainAnyElementsOf(named).hasSize(10);
        }
    }

    @Test
    void aClipMarkedKeptAfterItWasChosenStays() throws Exception {
        List<String> clips = shelf.airedClips("news", 5, Duration.ofDays(1));
        ClipRemoval removal = new ClipRemoval(
                shelf.db, shelf.layout, shelf.library, shelf.jobs, new tv.latent.playout.PlayoutRecords(shelf.db));
        var chosen = shelf.library.oldestUnkept("news", null, null, 2);
        shelf.library.keep(clips.get(0), true);

        var gone = removal.forgetRows(chosen);

        assertThat(gone).extracting(e -> e.id()).containsExactly(clips.get(1));
        assertThat(shelf.clipRows()).contains(clips.get(0));
    }

    @Test
    void prunesFailedJobsOlderThanTheirKeepTimeAndNothingElse() throws Exception {
        Instant old = TestLibrary.NOW.minus(Duration.ofDays(20));
        Instant recent = TestLibrary.NOW.minus(Duration.ofDays(2));
        shelf.jobs.insert(List.of(
                TestLibrary.aJob("failed-old", "news", JobState.FAILED, old),
                TestLibrary.aJob("failed-recent", "news", JobState.FAILED, recent),
                TestLibrary.aJob("rendering-old", "news", JobState.RENDER, old)));
        String clip = shelf.anAiredClip("news", Duration.ofDays(30));
        try (Retention retention = shelf.retention(NO_LIBRARY_BUDGET, roomyDisk(), "news")) {
            Retention.Outcome outcome = retention.runOnce();

            assertThat(outcome.failedJobs()).isEqualTo(1);
            assertThat(shelf.strings("SELECT id FROM shot_jobs"))
                    .containsExactlyInAnyOrder("failed-recent", "rendering-old", clip);
        }
    }
}
