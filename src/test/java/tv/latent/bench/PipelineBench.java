package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.procedural.ProceduralRenderer;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.pipeline.Backend;
import tv.latent.pipeline.ChannelStages;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Backends;
import tv.latent.testing.StageByStage;

/**
 * The embedded pipeline's cost per aired second: 3 s renders (Zeroscope's native 576×320, 24 frames
 * at 8 fps) through interpolate → upscale → score → master, with the post-production fused (the
 * upscale and interpolate filters inside the master's one ffmpeg run) against the same stages run
 * one by one (each its own ffmpeg run and near-lossless intermediate, as before fusion), for blend
 * and motion-compensated interpolation, in one run. Then the post-production alone: the render
 * given, as a remote 576×320 8 fps render arrives.
 *
 * <p>For each: one clip alone (wall per stage from the job's records), then {@code clips} clips
 * with 2 jobs in parallel: real-time factor (wall ÷ aired seconds), CPU seconds per aired second
 * (this JVM plus the ffmpeg processes it waited for, /proc/self/stat), ffmpeg runs per clip.
 *
 * <p>Run: {@code bench/pipeline.sh [clips]}.
 */
public final class PipelineBench {
    private PipelineBench() {}

    private record Setup(String mode, boolean fused, boolean renderGiven) {
        String title() {
            return (renderGiven ? "post only, " : "whole, ") + mode + ", " + (fused ? "fused" : "stage by stage");
        }
    }

    private record Result(
            Setup setup,
            Map<JobState, Double> stages,
            double singleWall,
            double batchWall,
            double batchCpu,
            double airedSeconds,
            double ffmpegRunsPerClip) {
        double realTimeFactor() {
            return batchWall / airedSeconds;
        }

        double cpuPerAiredSecond() {
            return batchCpu / airedSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int clips = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        Path root = Files.createTempDirectory("latenttv-bench");
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %s; clips per batch: %d, 2 jobs in parallel%n",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(),
                clips);
        Map<Long, Path> renders = renderAhead(root.resolve("renders"), clips);
        List<Result> results = new ArrayList<>();
        for (boolean renderGiven : List.of(false, true)) {
            for (String mode : List.of("blend", "mci")) {
                for (boolean fused : List.of(true, false)) {
                    Setup setup = new Setup(mode, fused, renderGiven);
                    results.add(run(root.resolve(String.valueOf(results.size())), setup, clips, renders));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nload average after: %s%n",
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.printf(
                Locale.ROOT,
                "%n| setup | one clip, wall s | batch wall s | real-time factor | CPU-s per aired s | ffmpeg runs per clip |%n"
                        + "|---|---|---|---|---|---|%n");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f | %.1f |%n",
                    r.setup().title(),
                    r.singleWall(),
                    r.batchWall(),
                    r.realTimeFactor(),
                    r.cpuPerAiredSecond(),
                    r.ffmpegRunsPerClip());
        }
        System.out.printf(Locale.ROOT, "%nwall seconds per stage, one clip alone:%n");
        for (Result r : results) {
            StringBuilder line = new StringBuilder("  " + r.setup().title() + ":");
            r.stages()
                    .forEach((stage, s) -> line.append(
                            String.format(Locale.ROOT, " %s %.2f", stage.name().toLowerCase(Locale.ROOT), s)));
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "%nfused against stage by stage (ratios of the same run):%n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Result fused = results.get(i);
            Result staged = results.get(i + 1);
            System.out.printf(
                    Locale.ROOT,
                    "  %s: real-time factor %.2f vs %.2f (%.2fx faster), CPU per aired s %.2f vs %.2f (%.2fx less)%n",
                    fused.setup().title().replace(", fused", ""),
                    fused.realTimeFactor(),
                    staged.realTimeFactor(),
                    staged.realTimeFactor() / fused.realTimeFactor(),
                    fused.cpuPerAiredSecond(),
                    staged.cpuPerAiredSecond(),
                    staged.cpuPerAiredSecond() / fused.cpuPerAiredSecond());
        }
        DataLayout.deleteTree(root);
    }

    /** The procedural renders of every shot the bench makes, ahead of time, for the runs that are given them. */
    private static Map<Long, Path> renderAhead(Path dir, int clips) throws Exception {
        Files.createDirectories(dir);
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        Renderer renderer = new ProceduralRenderer(ffmpeg, Duration.ofMinutes(5));
        Map<Long, Path> renders = new LinkedHashMap<>();
        for (ShotPlan plan : plans(clips + 1)) {
            renders.put(
                    plan.seed(),
                    renderer.render(
                                    new Renderer.RenderRequest(
                                            plan.prompt(), plan.negativePrompt(), plan.seed(), 576, 320, 24, 8),
                                    new StageContext(dir, StageContext.ProgressSink.NONE))
                            .file());
        }
        return renders;
    }

    /** A remote render that has already arrived: a copy of the shot's render. */
    private static Renderer given(Map<Long, Path> renders) {
        return (request, context) -> {
            Path out = context.newFile("render", "mp4");
            Files.copy(renders.get(request.seed()), out);
            return new StageOutput(out, "given", Map.of());
        };
    }

    private static Result run(Path dir, Setup setup, int clips, Map<Long, Path> renders) throws Exception {
        LatentConfig config = ConfigLoader.parse(
                """
        dataDir: %s
        pipeline: {maxConcurrentJobs: 2, ffmpegProcesses: 2}
        backends:
          smooth: {type: ffmpeg-interpolate, mode: %s}
        channels:
          - id: bench
            theme: wildlife at golden hour
            stages: {interpolate: [smooth]}
        """
                        .formatted(dir, setup.mode()),
                dir.resolveSibling("bench.yaml"),
                k -> null);
        DataLayout layout = new DataLayout(config.dataDir()).prepare();
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        try (Database db = Database.open(layout.database());
                Backends factory = new Backends(config, ffmpeg)) {
            var channel = config.channels().get(0);
            ChannelStages stages = factory.stagesFor(channel);
            UnaryOperator<ChannelStages> chain = setup.fused() ? s -> s : StageByStage::of;
            if (setup.renderGiven()) {
                stages = new ChannelStages(
                        channel,
                        List.of(Backend.of("given", given(renders), 2, Duration.ofMinutes(1))),
                        stages.upscale(),
                        stages.interpolate(),
                        stages.score());
            }
            try (Pipeline pipeline = new Pipeline(
                    new JobStore(db),
                    new ClipLibrary(db, layout),
                    layout,
                    ffmpeg,
                    config.pipeline(),
                    Map.of("bench", chain.apply(stages)),
                    InstantSource.system())) {
                pipeline.start();
                long t0 = System.nanoTime();
                List<ShotJob> one = runAll(pipeline, plans(clips + 1).subList(clips, clips + 1));
                double singleWall = (System.nanoTime() - t0) / 1e9;
                Map<JobState, Double> perStage = new LinkedHashMap<>();
                one.get(0).outputs().forEach((stage, record) -> perStage.put(stage, record.seconds()));

                double cpu0 = cpuSeconds();
                long runs0 = ffmpeg.runs();
                t0 = System.nanoTime();
                List<ShotJob> batch = runAll(pipeline, plans(clips).subList(0, clips));
                double batchWall = (System.nanoTime() - t0) / 1e9;
                double batchCpu = cpuSeconds() - cpu0;
                double runs = (double) (ffmpeg.runs() - runs0) / clips;
                double aired = 0;
                ClipLibrary library = new ClipLibrary(db, layout);
                for (ShotJob job : batch) {
                    aired += library.find(job.id()).orElseThrow().durationSeconds();
                }
                Result result = new Result(setup, perStage, singleWall, batchWall, batchCpu, aired, runs);
                System.out.printf(
                        Locale.ROOT,
                        "%s: real-time factor %.2f, %.2f CPU-s per aired s%n",
                        setup.title(),
                        result.realTimeFactor(),
                        result.cpuPerAiredSecond());
                return result;
            }
        }
    }

    /** The bench's shots: seeds 0..count-1, the same in every run. */
    private static List<ShotPlan> plans(int count) {
        List<ShotPlan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(new ShotPlan(
                    null,
                    "close-up of a red fox walking slowly from left to right, golden hour, camera pans right, film grain, shot "
                            + i,
                    "text",
                    i,
                    "calm ambient",
                    ""));
        }
        return plans;
    }

    private static List<ShotJob> runAll(Pipeline pipeline, List<ShotPlan> plans) throws Exception {
        List<ShotJob> submitted = pipeline.submit("bench", new Director.Direction(plans, "bench", ""));
        List<ShotJob> done = new ArrayList<>();
        for (ShotJob job : submitted) {
            ShotJob finished = pipeline.await(job.id(), Duration.ofMinutes(10));
            if (finished.state() != JobState.MASTERED) {
                throw new IllegalStateException(
                        "job " + job.id() + " ended " + finished.state() + ": " + finished.lastError());
            }
            done.add(finished);
        }
        return done;
    }

    /** CPU seconds of this process plus its waited-for children, from /proc/self/stat (clock ticks of 1/100 s). */
    static double cpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / 100.0;
    }
}
