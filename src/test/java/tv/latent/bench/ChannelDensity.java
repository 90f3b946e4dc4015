package tv.latent.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.playout.AirableClip;
import tv.latent.playout.HlsResponse;
import tv.latent.playout.MemoryCatalog;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;

/**
 * Channel density: N HLS channels on air in one process, each with its own timeline and one
 * viewer that reloads the playlist every segment and downloads every new segment (so each
 * segment is re-stamped and served), measured as the share of the machine's CPU this JVM uses.
 *
 * <p>Usage: bench/run.sh density [channels] [seconds]
 */
public final class ChannelDensity {
    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = 15;
        Path work = Path.of("target", "bench", "cost").toAbsolutePath();
        Files.createDirectories(work);
        Ffmpeg ffmpeg = Ffmpeg.locate(2);
        HouseFormat format = HouseFormat.DEFAULT;
        List<AirableClip> shared = BenchSupport.clips(work.resolve("clips"), format, "x", 128, 192, 256, 128);
        List<PlayoutChannel> configs = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            configs.add(PlayoutChannel.of("ch" + i, "Channel " + i, format));
        }
        Path run = Files.createTempDirectory(work, "density-");
        AtomicLong segments = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try (Database db = Database.open(run.resolve("latenttv.db"));
                Playout playout = new Playout(
                        db, MemoryCatalog.everyChannel(shared), ffmpeg, run, configs, InstantSource.system())) {
            playout.start();
            List<Thread> viewers = new ArrayList<>();
            for (PlayoutChannel config : configs) {
                viewers.add(Thread.ofVirtual()
                        .start(() -> view(playout, config.id(), format.segmentSeconds(), segments, bytes, failures)));
            }
            Thread.sleep(warmup * 1000L);
            var threads0 = BenchSupport.threadTicks();
            Duration cpu0 = BenchSupport.jvmCpu();
            long seg0 = segments.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Duration cpu1 = BenchSupport.jvmCpu();
            double wall = (System.nanoTime() - t0) / 1e9;
            long served = segments.get() - seg0;
            String top = BenchSupport.topThreads(threads0, BenchSupport.threadTicks());
            viewers.forEach(Thread::interrupt);
            int cores = Runtime.getRuntime().availableProcessors();
            double cpu = (cpu1.toNanos() - cpu0.toNanos()) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "%d HLS channels (%dx%d@%d), one viewer each, %d s measured after %d s warm-up%n",
                    channels,
                    format.width(),
                    format.height(),
                    format.fps(),
                    seconds,
                    warmup);
            System.out.printf(
                    Locale.ROOT,
                    "segments served: %d (%.1f/s, %.1f MB/s), viewer failures: %d%n",
                    served,
                    served / wall,
                    bytes.get() / 1e6 / (wall + warmup),
                    failures.get());
            System.out.println("JVM threads: " + top);
            System.out.printf(
                    Locale.ROOT,
                    "JVM CPU: %.2f s in %.1f s = %.1f%% of %d cores%n",
                    cpu,
                    wall,
                    100 * cpu / wall / cores,
                    cores);
        }
    }

    static void view(
            Playout playout,
            String channel,
            int segmentSeconds,
            AtomicLong segments,
            AtomicLong bytes,
            AtomicLong failures) {
        Set<String> seen = new HashSet<>();
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(segmentSeconds * 1000L));
            while (!Thread.currentThread().isInterrupted()) {
                if (playout.resolve(channel, "live.m3u8") instanceof HlsResponse.Found list) {
                    for (String line : new String(list.body(), StandardCharsets.UTF_8).split("\n")) {
                        if (line.endsWith(".ts") && seen.add(line)) {
                            if (playout.resolve(channel, line) instanceof HlsResponse.Found segment) {
                                segments.incrementAndGet();
                                bytes.addAndGet(segment.body().length);
                            } else {
                                failures.incrementAndGet();
                            }
                        }
                    }
                } else {
                    failures.incrementAndGet();
                }
                Thread.sleep(segmentSeconds * 1000L);
            }
        } catch (InterruptedException e) {
            // done
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }
}
