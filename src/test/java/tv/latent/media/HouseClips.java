package tv.latent.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tv.latent.testing.TestMedia;

/**
 * Test clips in a small house format, made with ffmpeg exactly as mastering makes them (closed
 * 2 s GOPs, B-frames, AAC with the priming frame hidden by the MP4 edit list). Each distinct
 * clip is encoded once per test run and copied for every use.
 */
public final class HouseClips {
    /** 256×144 at 24 fps, 2 s segments: small enough for fast tests, real in every other way. */
    public static final HouseFormat FORMAT = new HouseFormat(256, 144, 24, 2, 48000, 300, 64, -16);

    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();

    private HouseClips() {}

    public static Ffmpeg ffmpeg() {
        return TestMedia.ffmpeg();
    }

    /**
     * Copies a master of {@code frames} frames (tone {@code hz}) to {@code dir}/master.mp4 and
     * returns it; its segments will go in {@code dir}/hls.
     */
    public static Path master(Path dir, int frames, int hz) throws IOException, InterruptedException {
        Path made = MADE.get(frames + "-" + hz);
        if (made == null) {
            made = encode(frames, hz);
            MADE.put(frames + "-" + hz, made);
        }
        Files.createDirectories(dir);
        Path master = dir.resolve("master.mp4");
        Files.copy(made, master, StandardCopyOption.REPLACE_EXISTING);
        return master;
    }

    private static synchronized Path encode(int frames, int hz) throws IOException, InterruptedException {
        Path cacheDir = Path.of("target", "test-clips").toAbsolutePath();
        Files.createDirectories(cacheDir);
        Path out = cacheDir.resolve("clip-" + frames + "-" + hz + ".mp4");
        if (Files.isRegularFile(out)) {
            return out;
        }
        // this process's own temporary name: test JVMs running side by side share the cache
        Path temp = cacheDir.resolve(
                "clip-" + frames + "-" + hz + "." + ProcessHandle.current().pid() + ".tmp.mp4");
        TestMedia.patternWithTone(
                temp,
                FORMAT,
                frames,
                hz,
                List.of(
                        "-c:v",
                        "libx264",
                        "-profile:v",
                        "high",
                        "-pix_fmt",
                        "yuv420p",
                        "-b:v",
                        "300k",
                        "-g",
                        "48",
                        "-keyint_min",
                        "48",
                        "-sc_threshold",
                        "0",
                        "-force_key_frames",
                        "expr:eq(mod(n,48),0)",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "64k",
                        "-movflags",
                        "+faststart",
                        "-f",
                        "mp4"));
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }
}
