package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tv.latent.config.LatentConfig;

/** Low disk space pauses generation once, says why, and resumes by itself when space is back. */
class DiskGuardTest {
    private static final long GB = 1L << 30;
    private static final LatentConfig.DiskGuard TWO_GB = new LatentConfig.DiskGuard(2 * GB, 0, Duration.ofSeconds(10));

    @Test
    void pausesGenerationBelowTheThresholdAndSaysWhy() {
        TestLibrary.FixedSpace disk = new TestLibrary.FixedSpace(10 * GB, 100 * GB);
        DiskGuard guard = new DiskGuard(TWO_GB, disk);
        guard.check();
        assertThat(guard.paused()).isFalse();
        assertThat(guard.pausedReason()).isEmpty();

        disk.free = GB;
        guard.check();

        assertThat(guard.paused()).isTrue();
        assertThat(guard.pausedReason())
                .hasValue("low disk space: 1.00 GB free, at least 2.00 GB needed; generation resumes at 2.25 GB free");
        assertThat(guard.bytesFree()).isEqualTo(GB);
    }

    @Test
    void resumesByItselfOnlyOnceSpaceIsAMarginAboveTheThreshold() {
        TestLibrary.FixedSpace disk = new TestLibrary.FixedSpace(GB, 100 * GB);
        DiskGuard guard = new DiskGuard(TWO_GB, disk);
        guard.check();
        assertThat(guard.paused()).isTrue();

        disk.free = 2 * GB + (100L << 20); // over the line, within the margin: a disk hovering there does not flap
        guard.check();
        assertThat(guard.paused()).isTrue();

        disk.free = 3 * GB;
        guard.check();
        assertThat(guard.paused()).isFalse();
        assertThat(guard.pausedReason()).isEmpty();
    }

    @Test
    void tellsItsListenersOncePerPauseNotOncePerLook() {
        TestLibrary.FixedSpace disk = new TestLibrary.FixedSpace(GB, 100 * GB);
        DiskGuard guard = new DiskGuard(TWO_GB, disk);
        AtomicInteger pauses = new AtomicInteger();
        guard.onPause(pauses::incrementAndGet);

        for (int i = 0; i < 5; i++) {
            guard.check();
        }
        disk.free = 10 * GB;
        guard.check();
        disk.free = GB;
        guard.check();
        guard.check();

        assertThat(pauses).hasValue(2);
    }

    @Test
    void aShareOfTheDiskCountsWhenItIsTheLarger() {
        LatentConfig.DiskGuard fivePercent = new LatentConfig.DiskGuard(2 * GB, 5, Duration.ofSeconds(10));
        TestLibrary.FixedSpace disk = new TestLibrary.FixedSpace(4 * GB, 100 * GB);
        DiskGuard guard = new DiskGuard(fivePercent, disk);

        guard.check();

        assertThat(guard.paused()).isTrue();
        assertThat(guard.thresholdBytes()).isEqualTo(5 * GB);
    }

    @Test
    void aDiskThatCannotBeReadChangesNothing() {
        TestLibrary.FixedSpace low = new TestLibrary.FixedSpace(GB, 100 * GB);
        boolean[] failing = {false};
        DiskGuard guard = new DiskGuard(TWO_GB, new DiskGuard.Space() {
            @Override
            public long freeBytes() throws IOException {
                if (failing[0]) {
                    throw new IOException("stale NFS handle");
                }
                return low.free;
            }

            @Override
            public long totalBytes() {
                return low.total;
            }
        });
        guard.check();
        assertThat(guard.paused()).isTrue();

        failing[0] = true;
        low.free = 50 * GB;
        guard.check();

        assertThat(guard.paused()).isTrue();
    }

    @Test
    void zeroThresholdsNeverPause() {
        DiskGuard guard = new DiskGuard(
                new LatentConfig.DiskGuard(0, 0, Duration.ofSeconds(10)), new TestLibrary.FixedSpace(0, 100 * GB));
        guard.check();
        assertThat(guard.paused()).isFalse();
    }
}
