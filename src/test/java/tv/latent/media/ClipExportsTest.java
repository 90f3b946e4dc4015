package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports are made once however many ask at once, at most the slots' worth at a time (503 beyond),
 * kept, swept by age, and never named by anything but a clip id.
 */
class ClipExportsTest {
    @TempDir
    Path dir;

    private static ClipExports.State settle(ClipExports exports, String id, Path master, ClipExports.Format format)
            throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            ClipExports.State state = exports.request(id, master, format);
            if (!(state instanceof ClipExports.Making)) {
                return state;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the export was never made");
    }

    @Test
    void anExportAskedManyTimesAtOnceIsMadeOnceAndThenServedFromTheCache() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Path master = HouseClips.master(dir, 64, 330);
        ClipExports exports =
                new ClipExports(ffmpeg, dir.resolve("exports"), ClipExports.Limits.DEFAULT, InstantSource.system());
        for (int i = 0; i < 5; i++) {
            assertThat(exports.request("clip-1", master, ClipExports.Format.GIF))
                    .isInstanceOf(ClipExports.Making.class);
        }
        ClipExports.State made = settle(exports, "clip-1", master, ClipExports.Format.GIF);
        assertThat(made).isInstanceOf(ClipExports.Ready.class);
        assertThat(((ClipExports.Ready) made).file()).isEqualTo(dir.resolve("exports/clip-1.gif"));
        assertThat(exports.request("clip-1", master, ClipExports.Format.GIF)).isInstanceOf(ClipExports.Ready.class);
        assertThat(ffmpeg.runs())
                .as("one ffmpeg run for five requests and a cached answer")
                .isEqualTo(1);
        assertThat(Files.readAllBytes(dir.resolve("exports/clip-1.gif")))
                .startsWith("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void beyondItsSlotsAnExportIsRefusedWithARetryTimeNotQueued() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Path master = HouseClips.master(dir, 64, 330);
        ClipExports exports = new ClipExports(
                ffmpeg,
                dir.resolve("exports"),
                new ClipExports.Limits(1, 8L << 20, 64L << 20, Duration.ofDays(1)),
                InstantSource.system());
        assertThat(exports.request("clip-1", master, ClipExports.Format.WEBP)).isInstanceOf(ClipExports.Making.class);
        ClipExports.State second = exports.request("clip-2", master, ClipExports.Format.WEBP);
        assertThat(second).isInstanceOf(ClipExports.Busy.class);
        assertThat(((ClipExports.Busy) second).retryAfterSeconds()).isPositive();
        assertThat(settle(exports, "clip-1", master, ClipExports.Format.WEBP)).isInstanceOf(ClipExports.Ready.class);
        assertThat(settle(exports, "clip-2", master, ClipExports.Format.WEBP)).isInstanceOf(ClipExports.Ready.class);
    }

    @Test
    void exportsPastTheirAgeAreSweptAndMadeAgainWhenAsked() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Path master = HouseClips.master(dir, 64, 330);
        Path exportsDir = Files.createDirectories(dir.resolve("exports"));
        Path stale = exportsDir.resolve("old-clip.gif");
        Files.writeString(stale, "stale");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        ClipExports exports = new ClipExports(ffmpeg, exportsDir, ClipExports.Limits.DEFAULT, InstantSource.system());
        assertThat(exports.request("old-clip", master, ClipExports.Format.GIF))
                .as("too old to serve: made again")
                .isInstanceOf(ClipExports.Making.class);
        assertThat(settle(exports, "old-clip", master, ClipExports.Format.GIF)).isInstanceOf(ClipExports.Ready.class);
        assertThat(Files.readString(stale, java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("GIF89a");

        Path other = exportsDir.resolve("gone.webp");
        Files.writeString(other, "old");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        assertThat(settle(exports, "fresh", master, ClipExports.Format.WEBP)).isInstanceOf(ClipExports.Ready.class);
        assertThat(other).as("swept after the next export").doesNotExist();
    }

    @Test
    void onlyAClipIdNamesAnExportFile() {
        ClipExports exports = new ClipExports(
                Ffmpeg.locate(1), dir.resolve("exports"), ClipExports.Limits.DEFAULT, InstantSource.system());
        for (String bad : new String[] {"../etc/passwd", "a/b", "..", "", "x.gif", "-rf"}) {
            assertThatThrownBy(() -> exports.request(bad, dir.resolve("m.mp4"), ClipExports.Format.GIF))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dir.resolve("exports")).doesNotExist();
    }
}
