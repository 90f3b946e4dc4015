package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.web.Stations;

/** {@code latenttv playlist --channel ID}: the library as an ffconcat file that ffmpeg reads. */
class PlaylistCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLibraryAsAnFfconcatFileThatFfmpegReads() throws Exception {
        Path configFile = Stations.config(dir, "");
        LatentConfig config = Stations.load(configFile, k -> null);
        List<Clip> clips = Stations.fillLibrary(config, 3);
        Path list = dir.resolve("out/tv.ffconcat");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {"playlist", "--channel", "tv", "--config", configFile.toString(), "--out", list.toString()
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        List<String> lines = Files.readAllLines(list);
        assertThat(lines.get(0)).isEqualTo("ffconcat version 1.0");
        List<String> files = lines.stream().filter(l -> l.startsWith("file ")).toList();
        assertThat(files)
                .containsExactlyElementsOf(
                        clips.stream().map(c -> "file '" + c.master() + "'").toList());
        assertThat(lines.stream().filter(l -> l.startsWith("duration "))).containsOnly("duration 2.666667");

        Process ffmpeg = new ProcessBuilder(
                        "ffmpeg",
                        "-hide_banner",
                        "-v",
                        "error",
                        "-f",
                        "concat",
                        "-safe",
                        "0",
                        "-i",
                        list.toString(),
                        "-c",
                        "copy",
                        "-f",
                        "null",
                        "-")
                .redirectErrorStream(true)
                .start();
        String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(output).isZero();
    }

    @Test
    void unknownChannelIsRefusedWithItsName() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {
                    "playlist",
                    "--channel",
                    "nope",
                    "--data",
                    dir.resolve("data").toString()
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no channel 'nope'");
    }
}
