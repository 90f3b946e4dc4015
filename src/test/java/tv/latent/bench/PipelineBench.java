package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Backends;

/**
 * Wall and CPU seconds per stage for 3 s clips through every embedded stage, in both stage orders
 * (interpolate at model size first — LatentTV's default — against upscale first, as the seed did),
 * and the throughput of the channel's pipeline with jobs in parallel. CPU counts this JVM and the
 * ffmpeg processes it waited for (/proc/self/stat cutime + cstime).
 *
 * <p>Run: {@code bench/pipeline.sh [clips]}.
 */
public final class PipelineBench {
    private PipelineBench() {}

    public static void main(String[] args) throws Exception {
        int clips = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        Path root = Files.createTempDirectory("latenttv-bench");
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores; clips per run: %d%n",
                Runtime.getRuntime().availableProcessors(),
                clips);
        Result fast = run(root.resolve("interpolate-first"), true, "mci", clips);
        Result seed = run(root.resolve("upscale-first"), false, "mci", clips);
        Result blend = run(root.resolve("blend"), true, "blend", clips);
        print("interpolate at model size, then upscale (LatentTV)", fast);
        print("upscale, then interpolate at 1024x576 (seed order)", seed);
        print("LatentTV order with blend interpolation (the laptop setting)", blend);
        System.out.printf(
                Locale.ROOT,
                "%nreal-time factor, one clip alone (wall / clip length): %.2f (LatentTV) vs %.2f (seed order)%n",
                fast.singleWall / fast.clipSeconds,
                seed.singleWall / seed.clipSeconds);
        System.out.printf(
                Locale.ROOT,
                "real-time factor, %d clips, 2 jobs in parallel (wall / aired seconds): %.2f (LatentTV) vs %.2f (seed order)%n",
                clips,
                fast.batchWall / (fast.clipSeconds * clips),
                seed.batchWall / (seed.clipSeconds * clips));
        System.out.printf(
                Locale.ROOT,
                "real-time factor, %d clips, blend interpolation: %.2f%n",
                clips,
                blend.batchWall / (blend.clipSeconds * clips));
        System.out.printf(
                Locale.ROOT,
                "speed-up of LatentTV's order over the seed's (batch wall): %.2fx%n",
                seed.batchWall / fast.batchWall);
        DataLayout.deleteTree(root);
    }

    private record Result(
            Map<JobState, double[]> stages,
            double singleWall,
            double singleCpu,
            double batchWall,
            double batchCpu,
            double clipSeconds) {}

    private static Result run(Path dir, boolean interpolateFirst, String mode, int clips) throws Exception {
        LatentConfig config = ConfigLoader.parse(
                """
        dataDir: %s
        pipeline: {maxConcurrentJobs: 2, ffmpegProcesses: 2}
        backends:
          smooth: {type: ffmpeg-interpolate, mode: %s}
        channels:
          - id: bench
            theme: wildlife at golden hour
            interpolateFirst: %s
            stages: {interpolate: [smooth]}
        """
                        .formatted(dir, mode, interpolateFirst),
                dir.resolveSibling("bench.yaml"),
                k -> null);
        DataLayout layout = new DataLayout(config.dataDir()).prepare();
        try (Database db = Database.open(layout.database());
                Backends factory = new Backends(config, Ffmpeg.locate(2))) {
            Ffmpeg ffmpeg = Ffmpeg.locate(2);
            var channel = config.channels().get(0);
            try (Pipeline pipeline = new Pipeline(
                    new JobStore(db),
                    new ClipLibrary(db, layout),
                    layout,
                    ffmpeg,
                    config.pipeline(),
                    Map.of("bench", factory.stagesFor(channel)),
                    InstantSource.system())) {
                pipeline.start();
                Map<JobState, double[]> perStage = new java.util.EnumMap<>(JobState.class);
                // one clip alone: per-stage wall from the job's records, CPU of the whole run
                double cpu0 = cpuSeconds();
                long t0 = System.nanoTime();
                ShotJob one = runAll(pipeline, 1, 0).get(0);
                double singleWall = (System.nanoTime() - t0) / 1e9;
                double singleCpu = cpuSeconds() - cpu0;
                for (var e : one.outputs().entrySet()) {
                    perStage.put(e.getKey(), new double[] {e.getValue().seconds()});
                }
                cpu0 = cpuSeconds();
                t0 = System.nanoTime();
                List<ShotJob> batch = runAll(pipeline, clips, 100);
                double batchWall = (System.nanoTime() - t0) / 1e9;
                double batchCpu = cpuSeconds() - cpu0;
                for (ShotJob job : batch) {
                    if (job.state() != JobState.MASTERED) {
                        throw new IllegalStateException(job.lastError());
                    }
                }
                double clipSeconds =
                        new ClipLibrary(db, layout).find(one.id()).orElseThrow().durationSeconds();
                return new Result(perStage, singleWall, singleCpu, batchWall, batchCpu, clipSeconds);
            }
        }
    }

    private static List<ShotJob> runAll(Pipeline pipeline, int count, int seedBase) throws Exception {
        List<ShotPlan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(new ShotPlan(
                    null,
                    "close-up of a red fox walking slowly from left to right, golden hour, camera pans right, film grain, shot "
                            + (seedBase + i),
                    "text",
                    seedBase + i,
                    "calm ambient",
                    ""));
        }
        List<ShotJob> submitted = pipeline.submit("bench", new Director.Direction(plans, "bench", ""));
        List<ShotJob> done = new ArrayList<>();
        for (ShotJob job : submitted) {
            done.add(pipeline.await(job.id(), Duration.ofMinutes(10)));
        }
        return done;
    }

    private static void print(String title, Result r) {
        System.out.printf(Locale.ROOT, "%n%s%n  clip length %.3f s%n", title, r.clipSeconds);
        r.stages.forEach((stage, s) -> System.out.printf(
                Locale.ROOT, "  %-12s wall %6.2f s%n", stage.name().toLowerCase(Locale.ROOT), s[0]));
        System.out.printf(Locale.ROOT, "  one clip: wall %.2f s, CPU %.2f s%n", r.singleWall, r.singleCpu);
        System.out.printf(Locale.ROOT, "  batch: wall %.2f s, CPU %.2f s%n", r.batchWall, r.batchCpu);
    }

    /** CPU seconds of this process plus its waited-for children, from /proc/self/stat (clock ticks of 1/100 s). */
    static double cpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / 100.0;
    }
}
