package tv.latent.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.MediaInfo;

/**
 * Test media made with ffmpeg's own sources (the {@code testsrc2} pattern, a {@code sine} tone),
 * and ffprobe's view of what a test got back. Every test that needs a video, a tone or a probe
 * comes here, so the same request always gives the same file.
 *
 * <pre>{@code
 * Path clip = TestMedia.pattern(dir.resolve("in.mp4"), 320, 240, 24, 12, TestMedia.QUICK_H264);
 * MediaInfo.Video v = TestMedia.probe(clip);
 * }</pre>
 *
 * <p>Thread-safe: the shared {@link Ffmpeg} runs at most two processes at once, and
 * {@link #mp4} caches per shape.
 */
public final class TestMedia {
    /** H.264 at x264's fastest preset in 4:2:0: small, quick to make, playable everywhere. */
    public static final List<String> QUICK_H264 =
            List.of("-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast");

    /** A video's size and decoded frame count: what a test compares whole. */
    public record VideoInfo(int width, int height, int frames) {}

    // A hang guard, not a budget: the largest test media take seconds.
    private static final Duration MAKING = Duration.ofMinutes(5);
    private static final Duration PROBING = Duration.ofMinutes(2);
    private static final Ffmpeg FFMPEG = Ffmpeg.locate(2);
    private static final Map<String, byte[]> MP4S = new ConcurrentHashMap<>();

    private TestMedia() {}

    /** The ffmpeg every test shares. */
    public static Ffmpeg ffmpeg() {
        return FFMPEG;
    }

    /**
     * Writes {@code frames} frames of the moving test pattern at {@code width}×{@code height} and
     * {@code fps} to {@code out}, encoded with {@code encoding} (output options such as
     * {@link #QUICK_H264}; empty for the muxer's defaults).
     */
    public static Path pattern(Path out, int width, int height, int frames, int fps, List<String> encoding)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(patternSource(width, height, fps));
        args.addAll(List.of("-frames:v", Integer.toString(frames)));
        args.addAll(encoding);
        args.add(out.toString());
        FFMPEG.run(args, MAKING, null, null);
        return out;
    }

    /**
     * An H.264 mp4 of the test pattern in {@link #QUICK_H264}, as a model server would send it.
     * Made once per shape; callers must not change the array.
     */
    public static byte[] mp4(int width, int height, int frames, int fps) {
        return MP4S.computeIfAbsent(
                width + "x" + height + "x" + frames + "@" + fps,
                key -> bytes(".mp4", file -> pattern(file, width, height, frames, fps, QUICK_H264)));
    }

    /** Writes media to a file. */
    @FunctionalInterface
    public interface Maker {
        void write(Path file) throws IOException, InterruptedException;
    }

    /**
     * The bytes {@code maker} writes to a temporary file named with {@code suffix} (which picks
     * ffmpeg's output format), for fakes that answer with media.
     */
    public static byte[] bytes(String suffix, Maker maker) {
        try {
            Path file = Files.createTempFile("latenttv-test-", suffix);
            try {
                maker.write(file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making test media", e);
        }
    }

    /**
     * Writes the test pattern with a stereo tone of {@code hz}, both cut to exactly {@code frames}
     * frames and the samples that last as long, in {@code format}'s size, rate and sample rate,
     * encoded with {@code encoding}: a clip as mastering would hand to playout.
     */
    public static Path patternWithTone(Path out, HouseFormat format, int frames, int hz, List<String> encoding)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(patternSource(format.width(), format.height(), format.fps()));
        args.addAll(List.of(
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=" + hz + ":sample_rate=" + format.audioRate(),
                "-filter_complex",
                "[0:v]trim=end_frame=" + frames + "[v];[1:a]atrim=end_sample=" + format.samplesFor(frames)
                        + ",aformat=channel_layouts=stereo[a]",
                "-map",
                "[v]",
                "-map",
                "[a]"));
        args.addAll(encoding);
        args.add(out.toString());
        FFMPEG.run(args, MAKING, null, null);
        return out;
    }

    /**
     * Writes {@code seconds} of a sine tone of {@code hz} at {@code sampleRate} to {@code out}, in
     * the format its extension names unless {@code outputOptions} say otherwise.
     */
    public static Path tone(Path out, int hz, int sampleRate, double seconds, String... outputOptions)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "-f", "lavfi", "-i", "sine=frequency=" + hz + ":sample_rate=" + sampleRate + ":duration=" + seconds));
        args.addAll(List.of(outputOptions));
        args.add(out.toString());
        FFMPEG.run(args, MAKING, null, null);
        return out;
    }

    /** The first video stream of {@code file}, its frames counted by decoding. */
    public static MediaInfo.Video probe(Path file) throws IOException, InterruptedException {
        return FFMPEG.probe(file)
                .video()
                .orElseThrow(() -> new IOException("ffprobe finds no video stream in " + file));
    }

    /** The first video stream of a file held in memory, its frames counted by decoding. */
    public static MediaInfo.Video probe(byte[] file) throws IOException, InterruptedException {
        Path temp = Files.createTempFile("latenttv-test-", ".mp4");
        try {
            Files.write(temp, file);
            return probe(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The size and decoded frame count of {@code video}. */
    public static VideoInfo shape(Path video) throws IOException {
        try {
            MediaInfo.Video v = probe(video);
            return new VideoInfo(v.width(), v.height(), Math.toIntExact(v.frames()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while probing " + video);
        }
    }

    /**
     * ffprobe's packet list of {@code input} (a file or a live URL), one CSV line per packet with
     * the {@code entries} asked for ({@code packet=stream_index,pts,dts}), read with
     * {@code options} such as {@code -read_intervals}. ffprobe's exit status is not checked: a
     * live stream that breaks off mid-read still lists what was read, which is what such tests
     * look at.
     */
    public static String packets(String input, String entries, String... options)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0"));
        command.addAll(List.of(options));
        command.add(input);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        byte[][] listed = new byte[1][];
        Thread reader = Thread.ofVirtual().name("ffprobe-packets").start(() -> {
            try {
                listed[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                listed[0] = new byte[0];
            }
        });
        try {
            if (!process.waitFor(PROBING.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("ffprobe did not finish reading " + input + " within " + PROBING);
            }
            reader.join();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
        return new String(listed[0], StandardCharsets.UTF_8);
    }

    private static List<String> patternSource(int width, int height, int fps) {
        return List.of("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps);
    }

    /**
     * The mean SSIM (ffmpeg's {@code ssim} filter, all planes) of {@code video} against {@code
     * reference}, frame by frame over the shorter of the two; 1 means identical.
     */
    public static double ssim(Path video, Path reference) throws IOException, InterruptedException {
        String stderr = FFMPEG.run(
                List.of(
                        "-loglevel",
                        "info",
                        "-i",
                        video.toString(),
                        "-i",
                        reference.toString(),
                        "-lavfi",
                        "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim",
                        "-f",
                        "null",
                        "-"),
                MAKING,
                null,
                null);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("All:([0-9.]+)").matcher(stderr);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        if (Double.isNaN(last)) {
            throw new IOException("ffmpeg's ssim filter printed no result: " + stderr);
        }
        return last;
    }
}
