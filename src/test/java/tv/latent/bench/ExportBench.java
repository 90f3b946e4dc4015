package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tv.latent.media.Captions;
import tv.latent.media.ClipExports;
import tv.latent.media.Ffmpeg;

/**
 * GIF and WebP export time per second of clip, for a 2.7 s (64-frame) clip in the default house
 * format (1024x576, 24 fps, H.264 + AAC), against a baseline in the same run: ffmpeg decoding the
 * same clip to nothing (what any export pays before it makes a frame); and the same clip narrated
 * (a caption beside its master), whose GIF and WebP burn the caption in and whose MP4 export copies
 * the master's streams beside a captions track. Median of N rounds, each export made from scratch
 * (a fresh cache directory). Usage: bench/clip-export.sh [rounds]
 */
public final class ExportBench {
    private ExportBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Ffmpeg ffmpeg = Ffmpeg.locate(1);
        Path dir = Files.createTempDirectory("export-bench");
        Path master = dir.resolve("master.mp4");
        ffmpeg.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=1024x576:rate=24",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000",
                        "-frames:v",
                        "64",
                        "-t",
                        "2.6667",
                        "-c:v",
                        "libx264",
                        "-profile:v",
                        "high",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        "48",
                        "-c:a",
                        "aac",
                        "-ar",
                        "48000",
                        "-ac",
                        "2",
                        "-movflags",
                        "+faststart",
                        master.toString()),
                Duration.ofMinutes(2),
                null,
                null);
        double seconds = ffmpeg.probe(master).durationSeconds();
        Path narrated = Files.createDirectories(dir.resolve("narrated")).resolve("master.mp4");
        Files.copy(master, narrated);
        Files.writeString(
                narrated.resolveSibling(Captions.FILE),
                Captions.webVtt(List.of(new Captions.Cue(
                        0.15, 2.5, "A test card hums at four hundred and forty hertz, colours marching left."))));
        List<Double> decode = new ArrayList<>();
        List<Double> gif = new ArrayList<>();
        List<Double> webp = new ArrayList<>();
        List<Double> gifCaptioned = new ArrayList<>();
        List<Double> webpCaptioned = new ArrayList<>();
        List<Double> mp4Captioned = new ArrayList<>();
        long gifBytes = 0;
        long webpBytes = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ffmpeg.run(List.of("-i", master.toString(), "-an", "-f", "null", "-"), Duration.ofMinutes(2), null, null);
            decode.add((System.nanoTime() - t0) / 1e9 / seconds);
            Path cache = dir.resolve("exports-" + r);
            ClipExports exports = new ClipExports(ffmpeg, cache, ClipExports.Limits.DEFAULT, InstantSource.system());
            gif.add(timed(exports, master, ClipExports.Format.GIF) / seconds);
            webp.add(timed(exports, master, ClipExports.Format.WEBP) / seconds);
            ClipExports captioned = new ClipExports(
                    ffmpeg, dir.resolve("captioned-" + r), ClipExports.Limits.DEFAULT, InstantSource.system());
            gifCaptioned.add(timed(captioned, narrated, ClipExports.Format.GIF) / seconds);
            webpCaptioned.add(timed(captioned, narrated, ClipExports.Format.WEBP) / seconds);
            mp4Captioned.add(timed(captioned, narrated, ClipExports.Format.MP4) / seconds);
            gifBytes = Files.size(cache.resolve("bench.gif"));
            webpBytes = Files.size(cache.resolve("bench.webp"));
        }
        double base = median(decode);
        System.out.printf(
                Locale.ROOT,
                "clip %.2f s 1024x576 24 fps, %d rounds, medians in seconds of wall time per clip-second:%n",
                seconds,
                rounds);
        System.out.printf(Locale.ROOT, "  baseline decode to null  %.3f  (1.0x)%n", base);
        System.out.printf(
                Locale.ROOT,
                "  GIF export (480 px, 10 fps, palette)  %.3f  (%.1fx baseline), %d bytes%n",
                median(gif),
                median(gif) / base,
                gifBytes);
        System.out.printf(
                Locale.ROOT,
                "  WebP export (480 px, 12 fps, libwebp)  %.3f  (%.1fx baseline), %d bytes%n",
                median(webp),
                median(webp) / base,
                webpBytes);
        System.out.printf(
                Locale.ROOT,
                "  narrated: GIF with the caption burnt in  %.3f  (%.2fx the plain GIF)%n",
                median(gifCaptioned),
                median(gifCaptioned) / median(gif));
        System.out.printf(
                Locale.ROOT,
                "  narrated: WebP with the caption burnt in  %.3f  (%.2fx the plain WebP)%n",
                median(webpCaptioned),
                median(webpCaptioned) / median(webp));
        System.out.printf(
                Locale.ROOT,
                "  narrated: MP4 with a captions track (streams copied)  %.3f  (%.2fx baseline)%n",
                median(mp4Captioned),
                median(mp4Captioned) / base);
    }

    /** Seconds from the first request to the export being ready. */
    private static double timed(ClipExports exports, Path master, ClipExports.Format format) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            ClipExports.State state = exports.request("bench", master, format);
            if (state instanceof ClipExports.Ready) {
                return (System.nanoTime() - t0) / 1e9;
            }
            if (state instanceof ClipExports.Failed f) {
                throw new IllegalStateException(f.reason());
            }
            Thread.sleep(5);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
