package tv.latent.generate.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.testing.TestMedia;

/**
 * Orchestration overhead of the hosted queue stages, polling included: N renders through a
 * backend's concurrency semaphore (K permits) and the real fal or Replicate stage (submit, status
 * polls every P, result, download, probe) against a fake whose model takes a fixed latency L.
 * Prints jobs per second against the ideal K/L, and HTTP calls per job.
 *
 * <pre>bench/hosted-queues.sh [K] [L millis] [N] [P millis]</pre>
 */
public final class HostedQueueBench {
    private HostedQueueBench() {}

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        long poll = args.length > 3 ? Long.parseLong(args[3]) : 500;
        byte[] video = TestMedia.mp4(128, 72, 16, 8);
        System.out.printf(
                Locale.ROOT,
                "%-10s %3s %7s %4s %7s %9s %7s %7s %10s%n",
                "service",
                "K",
                "L ms",
                "N",
                "P ms",
                "jobs/s",
                "ideal",
                "ratio",
                "calls/job");

        try (FakeFalServer fal = FakeFalServer.builder()
                .latency(Duration.ofMillis(latency))
                .app(HostedFixtures.VIDEO_APP, call -> call.video(video))
                .start()) {
            RemoteStages.Fal reach = new RemoteStages.Fal(
                    "fal", fal.baseUri(), "bench-key", null, Duration.ofMillis(poll), 64L << 20, PoolPolicy.DEFAULT);
            try (Renderer renderer = RemoteStages.falRenderer(
                    reach,
                    HostedFixtures.render(HostedFixtures.VIDEO_APP, null, Duration.ofMinutes(5)),
                    RemoteFixtures.FFMPEG)) {
                double seconds = run(renderer, k, n);
                report(
                        "fal",
                        k,
                        latency,
                        n,
                        poll,
                        seconds,
                        fal.requests().size() + fal.cdn().fetches().size());
            }
        }
        try (FakeReplicateServer replicate = FakeReplicateServer.builder()
                .latency(Duration.ofMillis(latency))
                .model(HostedFixtures.VIDEO_MODEL, call -> call.file("out.mp4", video, "video/mp4"))
                .start()) {
            RemoteStages.Replicate reach = new RemoteStages.Replicate(
                    "replicate",
                    replicate.baseUri(),
                    "bench-token",
                    Duration.ofMillis(poll),
                    64L << 20,
                    PoolPolicy.DEFAULT);
            try (Renderer renderer = RemoteStages.replicateRenderer(
                    reach,
                    HostedFixtures.render(HostedFixtures.VIDEO_MODEL, null, Duration.ofMinutes(5)),
                    RemoteFixtures.FFMPEG)) {
                double seconds = run(renderer, k, n);
                report(
                        "replicate",
                        k,
                        latency,
                        n,
                        poll,
                        seconds,
                        replicate.requests().size() + replicate.cdn().fetches().size());
            }
        }
    }

    /** Renders {@code n} shots, at most {@code k} at once; returns the wall seconds. */
    private static double run(Renderer renderer, int k, int n) throws Exception {
        Path work = Files.createTempDirectory("latenttv-bench-");
        Semaphore permits = new Semaphore(k, true);
        try (var jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seed = i;
                done.add(jobs.submit(() -> {
                    permits.acquire();
                    try {
                        var out = renderer.render(
                                new Renderer.RenderRequest("a heron", "", seed, 128, 72, 16, 8),
                                new StageContext(work, StageContext.ProgressSink.NONE));
                        Files.delete(out.file());
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            Files.deleteIfExists(work);
        }
    }

    private static void report(String service, int k, long latency, int n, long poll, double seconds, int calls) {
        double rate = n / seconds;
        double ideal = k * 1000.0 / latency;
        System.out.printf(
                Locale.ROOT,
                "%-10s %3d %7d %4d %7d %9.3f %7.3f %7.3f %10.1f%n",
                service,
                k,
                latency,
                n,
                poll,
                rate,
                ideal,
                rate / ideal,
                (double) calls / n);
    }
}
