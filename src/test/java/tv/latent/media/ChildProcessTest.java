package tv.latent.media;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tv.latent.testing.SlowTest;

/** The process runner against real children: sh, cat and sleep. */
@Timeout(30)
class ChildProcessTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    private final List<String> errorLines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private synchronized void collect(byte[] bytes, int length) {
        out.write(bytes, 0, length);
    }

    private synchronized String output() {
        return out.toString(UTF_8);
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void runsAToolToCompletionWithItsOutputExitCodeAndErrorLines() throws Exception {
        ChildProcess.Exit exit = ChildProcess.run(
                sh("echo out; echo; echo '  first problem  ' >&2; echo >&2; echo second >&2; exit 3"),
                "sh",
                Duration.ofSeconds(10),
                null,
                this::collect,
                errorLines::add);

        assertThat(exit.code()).isEqualTo(3);
        assertThat(exit.stdinFailure()).isNull();
        assertThat(output()).isEqualTo("out\n\n");
        assertThat(errorLines).containsExactly("first problem", "second");
    }

    @Test
    void feedsStandardInputToARunAndClosesIt() throws Exception {
        ChildProcess.Exit exit = ChildProcess.run(
                List.of("cat"),
                "cat",
                Duration.ofSeconds(10),
                in -> in.write("frames".getBytes(UTF_8)),
                this::collect,
                errorLines::add);

        assertThat(exit.code()).isZero();
        assertThat(output()).isEqualTo("frames");
    }

    @Test
    void reportsAWriterThatFailsAsTheRunsStdinFailure() throws Exception {
        ChildProcess.Exit exit = ChildProcess.run(
                List.of("cat"),
                "cat",
                Duration.ofSeconds(10),
                in -> {
                    throw new IOException("the painter broke");
                },
                null,
                errorLines::add);

        assertThat(exit.stdinFailure()).hasMessage("the painter broke");
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndSaysSo() {
        assertThatThrownBy(() -> ChildProcess.run(
                        List.of("sleep", "60"), "sleeper", Duration.ofMillis(200), null, null, errorLines::add))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("sleeper did not finish");
    }

    @Test
    void aLongRunningChildReadsItsInputUntilStoppedThenEndsOnItsOwn() throws Exception {
        try (ChildProcess cat = ChildProcess.start(List.of("cat"), "cat", errorLines::add, this::collect)) {
            cat.stdin().write("segment one\n".getBytes(UTF_8));
            cat.stdin().write("segment two\n".getBytes(UTF_8));
            cat.stdin().flush();

            cat.stop(Duration.ofSeconds(10));

            assertThat(cat.isAlive()).isFalse();
            assertThat(cat.exitValue()).isZero();
            assertThat(cat.awaitOutput(Duration.ofSeconds(10))).isTrue();
            assertThat(output()).isEqualTo("segment one\nsegment two\n");
        }
    }

    @Test
    void stopEndsAChildThatIgnoresItsInputAndSigterm() throws Exception {
        try (ChildProcess stubborn =
                ChildProcess.start(sh("trap '' TERM; while :; do sleep 1; done"), "stubborn", errorLines::add, null)) {
            stubborn.stop(GRACE);

            assertThat(stubborn.isAlive()).isFalse();
        }
    }

    @Test
    void everyChildIsRegisteredFromStartUntilItExits() throws Exception {
        ChildProcess cat = ChildProcess.start(List.of("cat"), "cat", errorLines::add, null);
        assertThat(ChildProcess.livePids()).contains(cat.pid());

        cat.close();
        cat.close();

        assertThat(cat.isAlive()).isFalse();
        assertThat(ChildProcess.livePids()).doesNotContain(cat.pid());
    }

    @Test
    void aFailingErrorListenerDoesNotStopTheDrain() throws Exception {
        ChildProcess.Exit exit =
                ChildProcess.run(sh("echo one >&2; echo two >&2"), "sh", Duration.ofSeconds(10), null, null, line -> {
                    errorLines.add(line);
                    throw new IllegalStateException("listener bug");
                });

        assertThat(exit.code()).isZero();
        assertThat(errorLines).containsExactly("one", "two");
    }

    @Test
    @SlowTest
    void noChildOutlivesTheJvmThatStartedIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), LeavesAChildBehind.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long orphan;
        try (var lines = jvm.inputReader(UTF_8)) {
            orphan = Long.parseLong(lines.readLine().strip());
        }
        assertThat(jvm.waitFor()).isZero();

        try {
            // the JVM's exit does not wait for the orphan's: this waits for it to be reaped, bounded
            Optional<ProcessHandle> left = ProcessHandle.of(orphan);
            if (left.isPresent()) {
                left.get().onExit().get(20, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A JVM that starts a long sleep, says its pid and exits without stopping it. */
    static final class LeavesAChildBehind {
        public static void main(String[] args) throws IOException {
            ChildProcess sleeper = ChildProcess.start(List.of("sleep", "600"), "sleeper", line -> {}, null);
            System.out.println(sleeper.pid());
            System.out.flush();
            System.exit(0);
        }
    }
}
