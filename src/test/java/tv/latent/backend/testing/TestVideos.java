package tv.latent.backend.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Small real mp4 files made with ffmpeg, and an ffprobe summary, for tests and fake servers.
 * Videos are cached per shape, so asking twice costs one encode. Thread-safe.
 */
public final class TestVideos {

    /** What ffprobe says about a video's first stream. */
    public record VideoInfo(int width, int height, int frames) {}

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private TestVideos() {}

    /** An H.264 mp4 test pattern of the given shape. */
    public static byte[] mp4(int width, int height, int frames, int fps) {
        return CACHE.computeIfAbsent(
                width + "x" + height + "x" + frames + "@" + fps, key -> encode(width, height, frames, fps));
    }

    /** Probes {@code video} with ffprobe, counting the frames. */
    public static VideoInfo probe(Path video) throws IOException {
        String out = run(List.of(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-count_frames",
                "-show_entries",
                "stream=width,height,nb_read_frames",
                "-of",
                "csv=p=0",
                video.toString()));
        String[] fields = out.trim().split(",");
        if (fields.length < 3) {
            throw new IOException("ffprobe cannot read " + video + ": " + out);
        }
        return new VideoInfo(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
    }

    private static byte[] encode(int width, int height, int frames, int fps) {
        try {
            Path file = Files.createTempFile("latenttv-test-", ".mp4");
            try {
                run(List.of(
                        "ffmpeg",
                        "-y",
                        "-v",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                        "-frames:v",
                        Integer.toString(frames),
                        "-pix_fmt",
                        "yuv420p",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        file.toString()));
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command.getFirst() + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }
}
