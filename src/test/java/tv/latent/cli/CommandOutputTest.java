package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;

/**
 * What a person sees on the terminal after a one-shot command: the command's own lines on
 * standard output and nothing else; no log line and no table of migration results on either
 * stream. The process's own {@code System.out} and {@code System.err} are captured too, since
 * that is where a logging backend or a library would write.
 */
class CommandOutputTest {
    @TempDir
    Path dir;

    private record Terminal(int code, String stdout, String stderr) {}

    private static Terminal run(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);
        int code;
        try {
            code = Main.run(args, out, err);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Terminal(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void clipsOnANewDataDirectoryPrintsItsOneLineAndNoMigrationTable() {
        // a new data directory: every migration runs, V1's SELECT 1 included
        Terminal terminal = run("clips", "--data", dir.resolve("data").toString());

        assertThat(terminal.code()).as(terminal.stderr()).isZero();
        assertThat(terminal.stdout().lines().toList()).containsExactly("the library is empty");
        assertThat(terminal.stderr()).isEmpty();
    }

    @Test
    @SlowTest
    void generatePrintsProgressAndItsClipButNoLogLines() {
        Terminal terminal = run(
                "generate",
                "a red fox at golden hour",
                "--seed",
                "7",
                "--data",
                dir.resolve("data").toString());

        assertThat(terminal.code()).as(terminal.stdout() + terminal.stderr()).isZero();
        List<String> lines = terminal.stdout().lines().toList();
        assertThat(lines)
                .as("each line is a finished stage, the mastered job or the clip")
                .allMatch(line ->
                        line.matches("\\[[0-9a-f]{8} a red fox at golden hour\\] .*") || line.startsWith("clip: "));
        assertThat(lines).last().asString().startsWith("clip: ").endsWith("master.mp4");
        assertThat(terminal.stderr()).isEmpty();
    }
}
