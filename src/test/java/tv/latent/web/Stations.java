package tv.latent.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.library.DataLayout;
import tv.latent.media.HouseClips;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Station;
import tv.latent.testing.TestMedia;

/**
 * Test stations: a configuration in the small test house format, a library already holding
 * mastered clips (made with real ffmpeg), and a real {@link Station} on port 0.
 */
public final class Stations {
    public static final String CHANNEL = "tv";

    private Stations() {}

    /** Writes a config for one channel {@code tv} (plus {@code extraYaml} under the channel) and returns its file. */
    public static Path config(Path dir, String extraYaml) throws Exception {
        return config(dir, "", extraYaml);
    }

    /**
     * Writes a config for one channel {@code tv}, with {@code serverOptions} in its {@code server}
     * mapping (such as {@code "maxConnections: 20, headerTimeoutSeconds: 2"}) and {@code extraYaml}
     * under the channel, and returns its file.
     */
    public static Path config(Path dir, String serverOptions, String extraYaml) throws Exception {
        Path file = dir.resolve("latenttv.yaml");
        Files.writeString(
                file,
                """
        dataDir: data
        server: {host: 127.0.0.1, port: 0%s}
        channels:
          - id: tv
            title: Test Channel
            theme: a red fox by a misty river
            lookaheadSeconds: 10
            format: {width: 256, height: 144, fps: 24, segmentSeconds: 2, audioRate: 48000, videoKbps: 300, audioKbps: 64, loudnessLufs: -16}
        """
                                .formatted(serverOptions.isBlank() ? "" : ", " + serverOptions)
                        + extraYaml);
        return file;
    }

    /** A library of {@code count} clips of 64 frames, each with its own tone, title and prompt. */
    public static List<Clip> fillLibrary(LatentConfig config, int count) throws Exception {
        return fillLibrary(config, count, 64);
    }

    /** A library of {@code count} clips of {@code frames} frames (at 24 fps), each with its own tone, title and prompt. */
    public static List<Clip> fillLibrary(LatentConfig config, int count, int frames) throws Exception {
        List<Clip> clips = new ArrayList<>();
        try (Station app = Station.open(config)) {
            DataLayout layout = app.layout();
            Path thumbSource = thumbnail();
            Instant base = Instant.now().minus(Duration.ofHours(1));
            for (int i = 0; i < count; i++) {
                String id = String.format("clip-%03d", i);
                Path dir = layout.clip(CHANNEL, id);
                Path master = HouseClips.master(dir, frames, 300 + 40 * i);
                Path thumb = dir.resolve("thumb.jpg");
                Files.copy(thumbSource, thumb);
                Clip clip = new Clip(
                        id,
                        id,
                        CHANNEL,
                        "Shot " + i,
                        "prompt number " + i + ": a fox at dusk",
                        "",
                        i,
                        "",
                        "test",
                        i % 2 == 0
                                ? "{\"render\":{\"backend\":\"procedural\"}}"
                                : "{\"render\":{\"backend\":\"zeroscope\"}}",
                        frames,
                        24,
                        256,
                        144,
                        frames / 24.0,
                        -16.0,
                        Files.size(master),
                        master,
                        thumb,
                        base.plusSeconds(i),
                        false);
                insertMastered(app, clip, new ShotPlan(clip.title(), clip.prompt(), "", i, "", ""));
                clips.add(clip);
            }
        }
        return clips;
    }

    /**
     * Puts a mastered clip in the library as the pipeline leaves it: its job, mastered when the clip
     * was, and the clip's row. The clip's files must be in place.
     */
    public static void insertMastered(Station app, Clip clip, ShotPlan plan) throws java.sql.SQLException {
        Instant at = clip.masteredAt();
        app.jobs()
                .insert(List.of(new ShotJob(
                        clip.jobId(),
                        clip.channelId(),
                        plan,
                        "test",
                        "",
                        JobState.order(true),
                        JobState.MASTERED,
                        0,
                        at,
                        "",
                        Map.of(),
                        0,
                        at,
                        at)));
        app.jobs().database().write(c -> {
            app.library().insert(c, clip);
            return null;
        });
    }

    /** A station that airs the library as it is (no pipeline, no feeder), on a free port. */
    public static Station airing(LatentConfig config, UnaryOperator<String> environment) throws Exception {
        return Station.start(config, new Station.Options(0, false, environment, Duration.ofSeconds(1)));
    }

    public static LatentConfig load(Path file, UnaryOperator<String> environment) throws Exception {
        return ConfigLoader.load(file, environment);
    }

    private static synchronized Path thumbnail() throws Exception {
        Path out = Path.of("target", "test-clips", "thumb.jpg").toAbsolutePath();
        if (!Files.isRegularFile(out)) {
            Files.createDirectories(out.getParent());
            // made aside and moved into place: test JVMs running side by side share the file
            Path temp = out.resolveSibling("thumb." + ProcessHandle.current().pid() + ".tmp.jpg");
            TestMedia.pattern(temp, 160, 90, 1, 25, List.of());
            Files.move(temp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }
}
