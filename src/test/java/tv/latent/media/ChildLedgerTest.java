package tv.latent.media;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;

/**
 * Children on record in a data directory: a JVM killed with SIGKILL leaves its ffmpeg running; the
 * next ledger opened there ends them, and nothing else.
 */
class ChildLedgerTest {
    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** A JVM that records its children in the directory it is given, starts a long sleep, says its pid and waits. */
    static final class RecordsAChild {
        public static void main(String[] args) throws Exception {
            ChildLedger.open(Path.of(args[0]));
            ChildProcess sleeper = ChildProcess.start(List.of("sleep", "600"), "sleeper", line -> {}, null);
            System.out.println(sleeper.pid());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /** Starts {@link RecordsAChild} on {@code run}; returns the JVM and its sleeping child. */
    private ProcessHandle[] jvmWithAChild(Path run) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RecordsAChild.class.getName(),
                        run.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(jvm.toHandle());
        long child;
        try (var lines = jvm.inputReader(UTF_8)) {
            child = Long.parseLong(lines.readLine().strip());
        }
        ProcessHandle sleeper = ProcessHandle.of(child).orElseThrow();
        started.add(sleeper);
        return new ProcessHandle[] {jvm.toHandle(), sleeper};
    }

    private static void killNine(ProcessHandle jvm) throws Exception {
        jvm.destroyForcibly();
        jvm.onExit().get(20, TimeUnit.SECONDS);
    }

    @Test
    @SlowTest
    void theChildrenOfAJvmKilledWithSigkillAreEndedByTheNextOpen() throws Exception {
        Path run = dir.resolve("run");
        ProcessHandle[] jvmAndChild = jvmWithAChild(run);
        killNine(jvmAndChild[0]);
        assertThat(jvmAndChild[1].isAlive())
                .as("SIGKILL left the child running")
                .isTrue();

        ChildLedger.open(run).close();

        assertThat(jvmAndChild[1].isAlive()).isFalse();
        assertThat(Files.list(run).map(p -> p.getFileName().toString()))
                .as("the dead JVM's record is gone")
                .doesNotContain("children-" + jvmAndChild[0].pid());
    }

    @Test
    void theChildrenOfAJvmThatStillRunsAreLeftAlone() throws Exception {
        Path run = dir.resolve("run");
        ProcessHandle[] jvmAndChild = jvmWithAChild(run);

        ChildLedger.open(run).close();

        assertThat(jvmAndChild[1].isAlive()).isTrue();
        killNine(jvmAndChild[0]);
    }

    @Test
    void aProcessThatOnlyHasARecordedPidIsLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        started.add(sleep.toHandle());
        long start = sleep.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(
                run.resolve("children-999999"),
                "latenttv-children 1\nowner 999999 1 java\n" + sleep.pid() + " " + (start - 60_000) + " sleep\n");

        ChildLedger.open(run).close();

        assertThat(sleep.isAlive())
                .as("another start time: not the child that was recorded")
                .isTrue();
        assertThat(run.resolve("children-999999")).doesNotExist();
    }

    @Test
    void keepsTheChildrenItRunsOnRecordUntilTheyExit() throws Exception {
        Path run = dir.resolve("run");
        Path record = run.resolve("children-" + ProcessHandle.current().pid());
        ChildLedger ledger = ChildLedger.open(run);
        try (ChildProcess sleeper = ChildProcess.start(List.of("sleep", "600"), "sleeper", line -> {}, null)) {
            assertThat(Files.readString(record))
                    .contains("\n" + sleeper.pid() + " ")
                    .contains(" sleep\n");

            sleeper.terminate(java.time.Duration.ofSeconds(5));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.readString(record).contains("\n" + sleeper.pid() + " ") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(record)).doesNotContain("\n" + sleeper.pid() + " ");
        } finally {
            ledger.close();
        }
        assertThat(record).as("closed: nothing left to record").doesNotExist();
    }
}
