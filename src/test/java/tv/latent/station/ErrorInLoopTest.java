package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;

/**
 * An {@link Error} in a loop of the station (here out of memory on a channel thread) ends the
 * process with a clear line and exit code 70, so a supervisor restarts it, instead of leaving the
 * channel without its thread while the process looks alive.
 */
@SlowTest
class ErrorInLoopTest {
    @TempDir
    Path dir;

    @Test
    void anErrorInAChannelLoopEndsTheProcessForItsSupervisorToRestart() throws Exception {
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ErrorInLoopMain.class.getName(),
                        dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS))
                    .as("the process ended (see %s)", log)
                    .isTrue();
            assertThat(child.exitValue()).isEqualTo(Fatal.EXIT_CODE);
            String output = Files.readString(log);
            assertThat(output).contains("started");
            assertThat(output).contains("fatal: thread playout-tv ended by java.lang.OutOfMemoryError");
        } finally {
            child.destroyForcibly();
        }
    }
}
