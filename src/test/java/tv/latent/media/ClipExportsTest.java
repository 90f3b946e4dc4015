package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports are made once however many ask at once, at most the slots' worth at a time (503 beyond),
 * kept, swept by age, and never named by anything but a clip id; a narrated clip's captions are
 * burnt into its animated exports and travel as a track of its MP4.
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

    /** Mean absolute difference of two gray frames over the rows from {@code fromRow} to {@code toRow}. */
    private static double difference(byte[] a, byte[] b, int width, int fromRow, int toRow) {
        long sum = 0;
        for (int i = fromRow * width; i < toRow * width; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / ((toRow - fromRow) * width);
    }

    /** What ffmpeg (quiet but for errors) writes to its standard output with these arguments; it must succeed. */
    private static byte[] ffmpegOut(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as("ffmpeg %s", command).isZero();
        return bytes;
    }

    /** The frame at {@code seconds} of a video or GIF, as 8-bit gray pixels. */
    private static byte[] grayFrame(Path file, double seconds) throws Exception {
        return ffmpegOut(
                "-i",
                file.toString(),
                "-ss",
                Double.toString(seconds),
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-");
    }

    /** A narrated clip: its master with one caption beside it, in a directory whose name needs filter-graph escaping. */
    private Path aNarratedClip(String line) throws Exception {
        Path master = HouseClips.master(dir.resolve("odd: it's, [a] dir;"), 64, 330);
        Files.writeString(
                master.resolveSibling(Captions.FILE), Captions.webVtt(List.of(new Captions.Cue(0.2, 2.5, line))));
        return master;
    }

    @Test
    void aNarratedClipsGifCarriesItsCaptionBurntInAtTheBottom() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Path narrated = aNarratedClip("Meet the red fox & her <kits>: 50% {curious}, [ever] watchful.");
        Path plain = HouseClips.master(dir.resolve("plain"), 64, 330);
        ClipExports exports =
                new ClipExports(ffmpeg, dir.resolve("exports"), ClipExports.Limits.DEFAULT, InstantSource.system());
        Path withCaption = ((ClipExports.Ready) settle(exports, "narrated", narrated, ClipExports.Format.GIF)).file();
        Path without = ((ClipExports.Ready) settle(exports, "plain", plain, ClipExports.Format.GIF)).file();

        int width = HouseClips.FORMAT.width();
        int height = HouseClips.FORMAT.height();
        byte[] a = grayFrame(withCaption, 1.0);
        byte[] b = grayFrame(without, 1.0);
        assertThat(a).hasSize(width * height);
        double bottom = difference(a, b, width, height * 3 / 4, height);
        double top = difference(a, b, width, 0, height / 2);
        assertThat(bottom)
                .as("the caption's letters differ from the same picture without it (top half: %.2f)", top)
                .isGreaterThan(4 * top + 2);
        assertThat(ClipExports.arguments(
                        narrated,
                        ClipExports.captions(narrated),
                        dir.resolve("x.webp"),
                        ClipExports.Format.WEBP,
                        480,
                        2.6))
                .as("the WebP's filter burns the same captions in")
                .anySatisfy(arg -> assertThat(arg).contains("subtitles=filename="));
        assertThat(ClipExports.captions(plain)).isNull();
    }

    @Test
    void aNarratedClipsMp4CarriesTheMastersStreamsAndItsCaptionsAsATrack() throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Path master = aNarratedClip("The tide comes in, & the gulls <call>.");
        assertThat(ClipExports.captioned(master)).isTrue();
        ClipExports exports =
                new ClipExports(ffmpeg, dir.resolve("exports"), ClipExports.Limits.DEFAULT, InstantSource.system());
        Path mp4 = ((ClipExports.Ready) settle(exports, "narrated", master, ClipExports.Format.MP4)).file();
        assertThat(mp4).isEqualTo(dir.resolve("exports/narrated.mp4"));

        String streams = ffmpeg.probeRaw(
                List.of(
                        "-v",
                        "error",
                        "-show_entries",
                        "stream=codec_type,codec_name",
                        "-of",
                        "csv=p=0",
                        mp4.toString()),
                Duration.ofSeconds(30));
        assertThat(streams.lines().map(String::strip).toList())
                .containsExactly("h264,video", "aac,audio", "mov_text,subtitle");
        String vtt = new String(
                ffmpegOut("-i", mp4.toString(), "-map", "0:s:0", "-f", "webvtt", "-"),
                java.nio.charset.StandardCharsets.UTF_8);
        // ffmpeg writes the track back as WebVTT with short timings and the characters as they are
        assertThat(vtt).contains("00:00.200 --> 00:02.500\nThe tide comes in, & the gulls <call>.");
        assertThat(packets(mp4, "v")).as("the picture is the master's, copied").isEqualTo(packets(master, "v"));
        assertThat(packets(mp4, "a")).as("the sound is the master's, copied").isEqualTo(packets(master, "a"));
    }

    /** A checksum of each packet of a file's first stream of {@code kind} (v or a). */
    private static String packets(Path file, String kind) throws Exception {
        String text = new String(
                ffmpegOut("-i", file.toString(), "-map", "0:" + kind + ":0", "-c", "copy", "-f", "framemd5", "-"),
                java.nio.charset.StandardCharsets.UTF_8);
        return text.lines().filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
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
