package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.playout.AirableClip;
import tv.latent.playout.Ffconcat;
import tv.latent.playout.HlsResponse;
import tv.latent.playout.MemoryCatalog;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.playout.PushTarget;

/**
 * Playout cost: CPU seconds per hour of aired channel, LatentTV (HLS with one viewer + one RTMP
 * push) against the original's re-encoding command, on the same house-format clips, pushing to
 * the same nginx-rtmp on loopback, one after the other in one run.
 *
 * <p>Usage: bench/run.sh cost [seconds] [warmup=S] [latenttv-only]; both sides get the same warm-up
 * (default 120 s) before their measured {@code seconds} (default 60).
 */
public final class PlayoutCost {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = 120;
        boolean latentOnly = false;
        for (String arg : java.util.Arrays.asList(args).subList(Math.min(1, args.length), args.length)) {
            if (arg.startsWith("warmup=")) {
                warmup = Integer.parseInt(arg.substring("warmup=".length()));
            } else if (arg.equals("latenttv-only")) {
                latentOnly = true;
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + arg + "; usage: cost [seconds] [warmup=S] [latenttv-only]");
            }
        }
        Path work = Path.of("target", "bench", "cost").toAbsolutePath();
        Files.createDirectories(work);
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        HouseFormat format = HouseFormat.DEFAULT;
        List<AirableClip> clips = BenchSupport.clips(work.resolve("clips"), format, "bench", 128, 192, 256, 128);

        try (BenchSupport.Nginx nginx = new BenchSupport.Nginx(Files.createTempDirectory(work, "nginx-"))) {
            // LatentTV: timeline + HLS (one viewer polling like a player) + one RTMP push (ffmpeg -c copy)
            Path run = Files.createTempDirectory(work, "run-");
            double latent;
            try (Database db = Database.open(run.resolve("latenttv.db"));
                    Playout playout = new Playout(
                            db,
                            MemoryCatalog.everyChannel(clips),
                            ffmpeg,
                            run,
                            List.of(new PlayoutChannel(
                                    "bench",
                                    "Bench",
                                    format,
                                    List.of(new PushTarget("nginx", nginx.url(), "latenttv")),
                                    180)),
                            InstantSource.system())) {
                playout.start();
                Thread viewer = Thread.ofVirtual().start(() -> view(playout, "bench"));
                Thread.sleep(warmup * 1000L);
                // the JVM's clock is read last before and first after the sleep: reading /proc costs CPU too
                Duration push0 = BenchSupport.childrenCpu(nginx.pid());
                Duration nginx0 = BenchSupport.processTreeCpu(nginx.pid());
                var threads0 = BenchSupport.threadTicks();
                Duration jvm0 = BenchSupport.jvmCpu();
                Thread.sleep(seconds * 1000L);
                double jvm = (BenchSupport.jvmCpu().toNanos() - jvm0.toNanos()) / 1e9;
                double push = (BenchSupport.childrenCpu(nginx.pid()).toNanos() - push0.toNanos()) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "nginx (receiving, not counted): %.2f CPU s%n",
                        (BenchSupport.processTreeCpu(nginx.pid()).toNanos() - nginx0.toNanos()) / 1e9);
                System.out.println("JVM threads: " + BenchSupport.topThreads(threads0, BenchSupport.threadTicks()));
                viewer.interrupt();
                latent = jvm + push;
                System.out.printf(
                        Locale.ROOT,
                        "LatentTV JVM (timeline, HLS, feeding the push): %.2f CPU s; push ffmpeg (-c copy): %.2f CPU s%n",
                        jvm,
                        push);
            }

            if (latentOnly) {
                System.out.printf(
                        Locale.ROOT,
                        "LatentTV: %.2f CPU s in %d s = %.1f CPU s per aired hour%n",
                        latent,
                        seconds,
                        latent / seconds * 3600);
                return;
            }
            // The original: one live re-encode per output, -stream_loop placed before -i so it runs on ffmpeg 5.1+
            Path list = work.resolve("library.ffconcat");
            Ffconcat.write(list, clips, format);
            Process original = new ProcessBuilder(
                            ffmpeg.executable().toString(),
                            "-hide_banner",
                            "-loglevel",
                            "error",
                            "-nostdin",
                            "-re",
                            "-stream_loop",
                            "-1",
                            "-f",
                            "concat",
                            "-safe",
                            "0",
                            "-i",
                            list.toString(),
                            "-c:v",
                            "libx264",
                            "-preset",
                            "veryfast",
                            "-tune",
                            "zerolatency",
                            "-c:a",
                            "aac",
                            "-f",
                            "flv",
                            nginx.url() + "/original")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("original.log").toFile())
                    .start();
            Thread.sleep(warmup * 1000L);
            Duration before = BenchSupport.processTreeCpu(original.pid());
            Thread.sleep(seconds * 1000L);
            Duration after = BenchSupport.processTreeCpu(original.pid());
            boolean alive = original.isAlive();
            original.destroy();
            original.waitFor(10, TimeUnit.SECONDS);
            double seed = (after.toNanos() - before.toNanos()) / 1e9;
            if (!alive) {
                throw new IllegalStateException(
                        "the original command exited early; see " + work.resolve("original.log"));
            }

            System.out.printf(
                    Locale.ROOT,
                    "format %dx%d@%d, %d s measured after %d s warm-up, %d cores%n",
                    format.width(),
                    format.height(),
                    format.fps(),
                    seconds,
                    warmup,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    Locale.ROOT,
                    "LatentTV (HLS + 1 RTMP push): %.2f CPU s in %d s = %.1f CPU s per aired hour%n",
                    latent,
                    seconds,
                    latent / seconds * 3600);
            System.out.printf(
                    Locale.ROOT,
                    "original (re-encode to 1 RTMP): %.2f CPU s in %d s = %.1f CPU s per aired hour%n",
                    seed,
                    seconds,
                    seed / seconds * 3600);
            System.out.printf(Locale.ROOT, "ratio: original / LatentTV = %.0fx%n", seed / latent);
        }
    }

    /** A player: reloads the playlist every second and downloads each new segment once. */
    static void view(Playout playout, String channel) {
        Set<String> seen = new HashSet<>();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (playout.resolve(channel, "live.m3u8") instanceof HlsResponse.Found list) {
                    for (String line : new String(list.body(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                        if (line.endsWith(".ts") && seen.add(line)) {
                            playout.resolve(channel, line);
                        }
                    }
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            // done
        } catch (Exception e) {
            System.err.println("viewer failed: " + e);
        }
    }
}
