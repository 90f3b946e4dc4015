package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tv.latent.generate.FfmpegInterpolator;
import tv.latent.generate.FfmpegUpscaler;
import tv.latent.generate.FilterStage;
import tv.latent.generate.InterpolationMode;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.VideoInput;
import tv.latent.generate.VideoShape;
import tv.latent.generate.procedural.ProceduralRenderer;
import tv.latent.library.DataLayout;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.testing.TestMedia;

/**
 * The master's x264 settings by measurement: for house formats of several sizes, one 64-frame clip
 * (a procedural render through the fused interpolate and upscale filters, kept lossless as the
 * source) encoded with the house format's arguments at each preset: CPU seconds (one thread) and
 * SSIM against the source, next to a {@code slow}-preset reference; then, for the presets worth
 * it, two encodes at once (the pipeline runs two jobs on the two cores) with 1, 2 and automatic
 * threads: wall seconds for both.
 *
 * <p>Run: {@code bench/encoder.sh}.
 */
public final class EncoderBench {
    private static final List<String> PRESETS =
            List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium");
    private static final List<String> PAIRED = List.of("veryfast", "faster");
    private static final List<int[]> SIZES =
            List.of(new int[] {512, 288}, new int[] {1024, 576}, new int[] {1280, 720}, new int[] {1920, 1080});
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private EncoderBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("latenttv-encoder-bench");
        Ffmpeg ffmpeg = Ffmpeg.locate(4);
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %s%n",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        Path render = new ProceduralRenderer(ffmpeg, LIMIT)
                .render(
                        new Renderer.RenderRequest(
                                "close-up of a red fox walking slowly from left to right, golden hour, camera pans right, film grain",
                                "text",
                                7,
                                576,
                                320,
                                24,
                                8),
                        new StageContext(root, StageContext.ProgressSink.NONE))
                .file();
        VideoShape shape = VideoInput.shape(ffmpeg, render);
        for (int[] size : SIZES) {
            HouseFormat format = new HouseFormat(size[0], size[1], 24, 2, 48000, 2500, 128, -16);
            FilterStage.Goal goal = new FilterStage.Goal(size[0], size[1], 24, 1);
            var interpolate = new FfmpegInterpolator(ffmpeg, InterpolationMode.BLEND, LIMIT).plan(shape, goal);
            var upscale = new FfmpegUpscaler(ffmpeg, LIMIT).plan(interpolate.output(), goal);
            Path source = root.resolve("source-" + size[0] + ".nut");
            ffmpeg.run(
                    List.of(
                            "-i",
                            render.toString(),
                            "-vf",
                            interpolate.chain() + "," + upscale.chain() + ",trim=end_frame=64,format=yuv420p",
                            "-c:v",
                            "rawvideo",
                            source.toString()),
                    LIMIT,
                    null,
                    null);
            System.out.printf(
                    Locale.ROOT,
                    "%n%dx%d, 64 frames, house arguments (CRF 20, maxrate %d kb/s)%n",
                    size[0],
                    size[1],
                    format.videoKbps());
            System.out.printf(Locale.ROOT, "| preset | CPU s (1 thread) | SSIM vs source | kB |%n|---|---|---|---|%n");
            for (String preset : concat(PRESETS, "slow")) {
                Path out = root.resolve(preset + "-" + size[0] + ".mp4");
                double cpu = encode(ffmpeg, format, source, out, preset, "1");
                System.out.printf(
                        Locale.ROOT,
                        "| %s%s | %.2f | %.4f | %d |%n",
                        preset,
                        preset.equals("slow") ? " (reference)" : "",
                        cpu,
                        TestMedia.ssim(out, source),
                        Files.size(out) / 1024);
            }
            System.out.printf(Locale.ROOT, "two encodes at once, wall s for both:%n");
            for (String preset : PAIRED) {
                StringBuilder line = new StringBuilder("  " + preset + ":");
                for (String threads : List.of("1", "2", "0")) {
                    long t0 = System.nanoTime();
                    try (ExecutorService two = Executors.newFixedThreadPool(2)) {
                        List<Future<Double>> both = new ArrayList<>();
                        for (int i = 0; i < 2; i++) {
                            Path out = root.resolve("pair-" + i + ".mp4");
                            Callable<Double> job = () -> encode(ffmpeg, format, source, out, preset, threads);
                            both.add(two.submit(job));
                        }
                        for (Future<Double> f : both) {
                            f.get();
                        }
                    }
                    line.append(String.format(
                            Locale.ROOT,
                            "  threads %s: %.2f",
                            threads.equals("0") ? "auto" : threads,
                            (System.nanoTime() - t0) / 1e9));
                }
                System.out.println(line);
            }
            Files.delete(source);
        }
        System.out.printf(
                Locale.ROOT,
                "%nload average after: %s%n",
                Files.readString(Path.of("/proc/loadavg")).strip());
        DataLayout.deleteTree(root);
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    /** Encodes {@code source} with the house arguments at {@code preset} and {@code threads}; returns the CPU seconds it took. */
    private static double encode(
            Ffmpeg ffmpeg, HouseFormat format, Path source, Path out, String preset, String threads) throws Exception {
        List<String> args = new ArrayList<>(List.of("-i", source.toString()));
        List<String> house = new ArrayList<>(format.encoderArguments());
        int at = house.indexOf("-preset");
        if (at >= 0) {
            house.set(at + 1, preset);
        }
        int t = house.indexOf("-threads");
        if (t >= 0) {
            house.set(t + 1, threads);
        } else {
            house.addAll(List.of("-threads", threads));
        }
        args.addAll(house);
        args.add(out.toString());
        double cpu0 = PipelineBench.cpuSeconds();
        ffmpeg.run(args, LIMIT, null, null);
        return PipelineBench.cpuSeconds() - cpu0;
    }
}
