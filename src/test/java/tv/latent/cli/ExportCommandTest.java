package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.media.Captions;
import tv.latent.media.ClipExports;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * {@code latenttv export CLIP_ID --gif|--webp|--mp4 --out FILE}: the clip page's exports from the
 * command line, written whole or not at all, with one line saying what went wrong otherwise.
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-c", config.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SlowTest
    void writesAClipAsAGifAWebpOrItsMasterAndNamesWhatIsWrongOtherwise() throws Exception {
        Path file = Stations.config(dir, "");
        LatentConfig config = Stations.load(file, k -> null);
        Clip clip = Stations.fillLibrary(config, 1).getFirst();
        Path outDir = dir.resolve("out");

        Run gif = run(
                file,
                "export",
                clip.id(),
                "--gif",
                "--out",
                outDir.resolve("fox.gif").toString());
        assertThat(gif.code()).as(gif.err()).isZero();
        byte[] bytes = Files.readAllBytes(outDir.resolve("fox.gif"));
        assertThat(bytes).startsWith("GIF89a".getBytes(StandardCharsets.US_ASCII));
        int width = (bytes[6] & 0xff) | (bytes[7] & 0xff) << 8;
        assertThat(width).as("the GIF's width").isBetween(1, ClipExports.MAX_WIDTH);
        assertThat(gif.err()).contains("making the gif of clip " + clip.id(), "GIF of clip " + clip.id(), "written to");

        Run webp = run(
                file,
                "export",
                clip.id(),
                "--webp",
                "--out",
                outDir.resolve("fox.webp").toString());
        assertThat(webp.code()).as(webp.err()).isZero();
        byte[] riff = Files.readAllBytes(outDir.resolve("fox.webp"));
        assertThat(new String(riff, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(riff, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");

        Run mp4 = run(
                file,
                "export",
                clip.id(),
                "--mp4",
                "--out",
                outDir.resolve("fox.mp4").toString());
        assertThat(mp4.code()).as(mp4.err()).isZero();
        assertThat(outDir.resolve("fox.mp4")).hasSameBinaryContentAs(clip.master());
        try (var left = Files.list(outDir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("nothing half-written beside them")
                    .containsExactlyInAnyOrder("fox.gif", "fox.webp", "fox.mp4");
        }

        // a narrated clip's MP4 is its master with the captions as a subtitle track
        Files.writeString(
                clip.master().resolveSibling(Captions.FILE),
                Captions.webVtt(List.of(new Captions.Cue(0.2, 1.9, "Here the fox rests."))));
        Run narrated = run(
                file,
                "export",
                clip.id(),
                "--mp4",
                "--out",
                outDir.resolve("narrated.mp4").toString());
        assertThat(narrated.code()).as(narrated.err()).isZero();
        assertThat(narrated.err()).contains("making the mp4 of clip " + clip.id(), "MP4 of clip " + clip.id());
        Process probe = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-show_entries",
                        "stream=codec_name",
                        "-of",
                        "csv=p=0",
                        outDir.resolve("narrated.mp4").toString())
                .start();
        String codecs = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).isZero();
        assertThat(codecs.lines().toList()).containsExactly("h264", "aac", "mov_text");
        Files.delete(outDir.resolve("narrated.mp4"));

        Run unknown = run(
                file,
                "export",
                "no-such-clip",
                "--gif",
                "--out",
                outDir.resolve("x.gif").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .isEqualTo("latenttv: no clip 'no-such-clip' in the library (latenttv clips lists them)");
        Run outside = run(
                file,
                "export",
                "../../etc/passwd",
                "--mp4",
                "--out",
                outDir.resolve("y.mp4").toString());
        assertThat(outside.code()).isEqualTo(2);
        assertThat(outDir.resolve("x.gif")).doesNotExist();
        assertThat(outDir.resolve("y.mp4")).doesNotExist();

        Run noFormat = run(file, "export", clip.id());
        assertThat(noFormat.code()).isEqualTo(2);
        assertThat(noFormat.err()).contains("--gif", "--webp", "--mp4");
        Run twoFormats = run(file, "export", clip.id(), "--gif", "--webp");
        assertThat(twoFormats.code()).isEqualTo(2);
        assertThat(twoFormats.err()).contains("mutually exclusive");
    }
}
