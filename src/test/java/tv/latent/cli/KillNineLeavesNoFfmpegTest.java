package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;

/**
 * Kills the real LatentTV process with SIGKILL while its ffmpeg children run, starts it again on
 * the same data directory: nothing of the first run is left running. The first run's ffmpeg is
 * frozen (SIGSTOP) before the kill, so it cannot end by itself while the test looks: it stands for
 * a long encode that would otherwise go on beside the second run.
 */
@SlowTest
class KillNineLeavesNoFfmpegTest {
    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private Process latenttv(Path config, Path log, String... args) throws Exception {
        Process process = LatentTvProcess.builder(config, log, args).start();
        started.add(process.toHandle());
        return process;
    }

    private static boolean isFfmpeg(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false);
    }

    /** Whether {@code process} is an ffmpeg at work on media (not the start's version check). */
    private static boolean isEncoding(ProcessHandle process) {
        return isFfmpeg(process)
                && process.info().arguments().map(List::of).orElse(List.of()).contains("-i");
    }

    /** Freezes one ffmpeg the JVM runs on media, when one runs; empty when none did or it ended first. */
    private Optional<ProcessHandle> freezeAnFfmpegOf(Process jvm) throws Exception {
        for (ProcessHandle child : jvm.toHandle()
                .descendants()
                .filter(KillNineLeavesNoFfmpegTest::isEncoding)
                .toList()) {
            started.add(child);
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start();
            if (stop.waitFor() == 0 && child.isAlive()) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    @Test
    void afterKillNineAndARestartNoFfmpegOfTheFirstRunIsLeftRunning() throws Exception {
        Path config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 2}
        channels:
          - id: crash
            theme: a red fox and a brown bear by a misty river at golden hour
        """);
        Process first = latenttv(config, dir.resolve("first.log"), "generate", "--channel", "crash", "--count", "3");
        Optional<ProcessHandle> frozen = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (frozen.isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
            frozen = freezeAnFfmpegOf(first);
            Thread.sleep(frozen.isEmpty() ? 20 : 0);
        }
        assertThat(frozen)
                .as("an ffmpeg of the first run was caught running (see first.log)")
                .isPresent();
        List<ProcessHandle> firstRunFfmpeg = first.toHandle()
                .descendants()
                .filter(KillNineLeavesNoFfmpegTest::isFfmpeg)
                .toList();
        started.addAll(firstRunFfmpeg);

        first.destroyForcibly();
        first.waitFor();
        assertThat(frozen.get().isAlive())
                .as("SIGKILL of the JVM left its ffmpeg running")
                .isTrue();

        Process second = latenttv(config, dir.resolve("second.log"), "resume");
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue())
                .as(Files.readString(dir.resolve("second.log")))
                .isZero();

        assertThat(frozen.get().isAlive())
                .as("the frozen ffmpeg of the first run")
                .isFalse();
        assertThat(firstRunFfmpeg).as("every ffmpeg of the first run is gone").noneMatch(ProcessHandle::isAlive);
        assertThat(Files.readString(dir.resolve("second.log")))
                .contains("an earlier run on this data directory left running");
    }
}
