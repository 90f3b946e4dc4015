package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.HouseFormatCheck;
import tv.latent.testing.SlowTest;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        channels:
          - id: cli
            theme: a red fox at golden hour
        """);
    }

    private int run(String... args) {
        String[] withConfig = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args), java.util.stream.Stream.of("--config", config.toString()))
                .toArray(String[]::new);
        return Main.run(
                withConfig,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    @SlowTest
    void generatesOneShotAndCopiesItToOut() throws Exception {
        Path target = dir.resolve("fox.mp4");
        int code = run(
                "generate", "a red fox at golden hour, camera pans right", "--seed", "7", "--out", target.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed)
                .contains("clip: ")
                .contains("copied to: " + target)
                .contains("render")
                .contains("master");
        assertThat(HouseFormatCheck.problems(Ffmpeg.locate(1).probe(target), HouseFormat.DEFAULT, 64))
                .isEmpty();
        assertThat(run("clips")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("a red fox at golden hour, camera pans right");
    }

    @Test
    void emptyPromptIsRefusedBeforeAnythingRuns() {
        assertThat(run("generate", "   ")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("prompt is empty");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void overlongPromptIsRefusedWithTheLimit() {
        assertThat(run("generate", "fox ".repeat(600))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("characters long; the limit is 2000");
    }

    @Test
    void badConfigStopsTheStartNamingFileAndKey() throws Exception {
        Files.writeString(config, "channels:\n  - id: cli\n    theme: t\n    format: {fps: 0}\n");
        assertThat(run("clips")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("latenttv.yaml")
                .contains("channels[0].format.fps");
    }
}
