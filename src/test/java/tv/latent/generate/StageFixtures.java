package tv.latent.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tv.latent.media.Ffmpeg;
import tv.latent.testing.TestMedia;

/** Shared test vocabulary for the stage contracts: real ffmpeg, decoded frames and samples. */
public final class StageFixtures {
    public static final Ffmpeg FFMPEG = Ffmpeg.locate(2);
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private StageFixtures() {}

    /** Decoded RGB24 frames of a video. */
    public record Frames(int width, int height, List<byte[]> frames) {
        public int count() {
            return frames.size();
        }

        /** Mean absolute difference per channel value (0..255) between two frames. */
        public static double difference(byte[] a, byte[] b) {
            long sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += Math.abs((a[i] & 255) - (b[i] & 255));
            }
            return (double) sum / a.length;
        }

        /** Mean of frame-to-frame differences: how much the picture moves. */
        public double motion() {
            double sum = 0;
            for (int i = 1; i < frames.size(); i++) {
                sum += difference(frames.get(i - 1), frames.get(i));
            }
            return sum / Math.max(1, frames.size() - 1);
        }

        /** Mean red, green, blue over all frames, 0..255. */
        public double[] meanColour() {
            double[] m = new double[3];
            long n = 0;
            for (byte[] f : frames) {
                for (int i = 0; i < f.length; i += 3) {
                    m[0] += f[i] & 255;
                    m[1] += f[i + 1] & 255;
                    m[2] += f[i + 2] & 255;
                    n++;
                }
            }
            for (int c = 0; c < 3; c++) {
                m[c] /= n;
            }
            return m;
        }
    }

    public static Frames decode(Path video, Path scratch) throws IOException, InterruptedException {
        var info = FFMPEG.probe(video).video().orElseThrow();
        Path raw = Files.createTempFile(scratch, "frames", ".rgb");
        FFMPEG.run(
                List.of("-i", video.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", raw.toString()),
                TIMEOUT,
                null,
                null);
        byte[] all = Files.readAllBytes(raw);
        Files.delete(raw);
        int size = info.width() * info.height() * 3;
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int off = 0; off + size <= all.length; off += size) {
            frames.add(java.util.Arrays.copyOfRange(all, off, off + size));
        }
        return new Frames(info.width(), info.height(), frames);
    }

    /** Interleaved stereo samples of an audio file, decoded by ffmpeg at its own rate. */
    public static short[] samples(Path audio, Path scratch) throws IOException, InterruptedException {
        Path raw = Files.createTempFile(scratch, "samples", ".pcm");
        FFMPEG.run(List.of("-i", audio.toString(), "-f", "s16le", "-ac", "2", raw.toString()), TIMEOUT, null, null);
        byte[] bytes = Files.readAllBytes(raw);
        Files.delete(raw);
        short[] out = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    /** A test-pattern video with motion, as a model would hand to the next stage. */
    static Path patternVideo(Path dir, int width, int height, int fps, int frames)
            throws IOException, InterruptedException {
        Path out = dir.resolve("pattern-" + width + "x" + height + "-" + fps + "-" + frames + ".mp4");
        // crf 12, close to lossless: the contracts compare a stage's frames with these
        return TestMedia.pattern(
                out,
                width,
                height,
                frames,
                fps,
                List.of("-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p"));
    }

    /** Every file under {@code root} except those under {@code skip}, as relative paths. */
    static Set<String> filesOutside(Path root, Path skip) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(skip))
                    .map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
