package tv.latent.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageOutput;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.station.Backends;
import tv.latent.storage.MediaCache;
import tv.latent.storage.S3Store;
import tv.latent.testing.PostgresServer;
import tv.latent.testing.S3Server;
import tv.latent.testing.TestMedia;

/**
 * Job throughput of 1, 2 and 3 nodes on one PostgreSQL database and one bucket (S3Proxy), each
 * node with a fake remote renderer of {@code K} permits answering after {@code L} seconds (a
 * pre-made 24-frame clip at the house size, as a GPU server's download), the rest of the chain
 * embedded but small (a 256×144 house format, blend interpolation): what is measured is how the
 * nodes share the work, not how fast this machine's two cores encode. The ideal is {@code N×K/L}
 * jobs a second; each run queues {@code rounds×N×K} jobs on one node and times them from the
 * nodes' start to the last one mastered (which includes one post-production tail).
 *
 * <p>Run: {@code bench/cluster.sh [K] [L seconds] [rounds]}.
 */
public final class ClusterThroughputBench {
    private ClusterThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int permits = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double latency = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path root = Files.createTempDirectory("latenttv-cluster-bench");
        byte[] clip = TestMedia.mp4(256, 144, 24, 8); // the model's size: no upscale
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %s; K=%d permits, L=%.1f s per node, %d rounds%n",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(),
                permits,
                latency,
                rounds);
        System.out.println(
                "| nodes | jobs | wall s | jobs/s | ideal N×K/L | ratio | renders span s | renders/s | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        try (PostgresServer postgres = PostgresServer.start();
                S3Server s3 = S3Server.start()) {
            for (int nodes = 1; nodes <= 3; nodes++) {
                Database.Postgres database = postgres.newDatabase();
                S3Store.Settings bucket = s3.newBucket();
                List<AutoCloseable> open = new ArrayList<>();
                RenderSpan span = new RenderSpan();
                try {
                    List<Pipeline> pipelines = new ArrayList<>();
                    for (int n = 0; n < nodes; n++) {
                        pipelines.add(node(
                                root.resolve("run" + nodes + "-node" + n),
                                database,
                                bucket,
                                permits,
                                latency,
                                clip,
                                span,
                                open));
                    }
                    int count = rounds * nodes * permits;
                    List<ShotPlan> plans = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        plans.add(new ShotPlan(null, "shot " + i + ": a heron", "", 100 + i, "music", "s1"));
                    }
                    List<ShotJob> jobs =
                            pipelines.getFirst().submit("test", new Director.Direction(plans, "bench", ""));
                    long started = System.nanoTime();
                    pipelines.forEach(Pipeline::start);
                    for (ShotJob job : jobs) {
                        ShotJob done = pipelines.getFirst().await(job.id(), Duration.ofMinutes(30));
                        if (done.state() != JobState.MASTERED) {
                            throw new IllegalStateException(
                                    done.id() + " ended " + done.state() + ": " + done.lastError());
                        }
                    }
                    double wall = (System.nanoTime() - started) / 1e9;
                    double rate = count / wall;
                    double ideal = nodes * permits / latency;
                    double rendering = span.seconds();
                    System.out.printf(
                            Locale.ROOT,
                            "| %d | %d | %.1f | %.3f | %.3f | %.2f | %.1f | %.3f | %.2f |%n",
                            nodes,
                            count,
                            wall,
                            rate,
                            ideal,
                            rate / ideal,
                            rendering,
                            count / rendering,
                            count / rendering / ideal);
                } finally {
                    for (int i = open.size() - 1; i >= 0; i--) {
                        open.get(i).close();
                    }
                }
            }
        }
    }

    /** One node: its own data directory, pool and pipeline; the shared database and bucket. */
    private static Pipeline node(
            Path data,
            Database.Postgres database,
            S3Store.Settings bucket,
            int permits,
            double latency,
            byte[] clip,
            RenderSpan span,
            List<AutoCloseable> open)
            throws Exception {
        // job slots beyond the renderer's permits, so post-production never holds a render permit idle
        LatentConfig config = ConfigLoader.parse(
                """
                dataDir: %s
                pipeline: {maxConcurrentJobs: %d, maxAttempts: 2, retryBackoffMillis: 50}
                backends:
                  smooth: {type: ffmpeg-interpolate, mode: blend}
                channels:
                  - id: test
                    theme: wildlife at golden hour
                    format: {width: 256, height: 144, fps: 24, segmentSeconds: 2, audioRate: 48000, videoKbps: 300, audioKbps: 64, loudnessLufs: -16}
                    model: {width: 256, height: 144, frames: 24, fps: 8}
                    stages: {interpolate: [smooth]}
                """
                        .formatted(data, permits * 3),
                data.resolveSibling(data.getFileName() + ".yaml"),
                k -> null);
        DataLayout layout = new DataLayout(data).prepare();
        Database db = Database.open(database);
        open.add(db);
        JobStore jobs = new JobStore(db, data.getFileName().toString(), Duration.ofSeconds(10));
        MediaCache media = new MediaCache(S3Store.open(bucket), data, 1L << 30);
        open.add(media);
        Ffmpeg ffmpeg = Ffmpeg.locate(4);
        Backends backends = new Backends(config, ffmpeg);
        open.add(backends);
        ChannelConfig channel = config.channels().get(0);
        ChannelStages embedded = backends.stagesFor(channel);
        long sleep = Math.round(latency * 1000);
        Renderer remote = (request, context) -> {
            span.started();
            Thread.sleep(sleep); // the GPU's time
            span.ended();
            Path out = context.newFile("render", "mp4");
            Files.write(out, clip);
            return new StageOutput(out, "fake-remote", Map.of());
        };
        ChannelStages stages = new ChannelStages(
                channel,
                List.of(Backend.of("remote", remote, permits, Duration.ofMinutes(5))),
                embedded.upscale(),
                embedded.interpolate(),
                embedded.score());
        Pipeline pipeline = new Pipeline(
                jobs,
                new ClipLibrary(db, layout),
                layout,
                ffmpeg,
                config.pipeline(),
                Map.of(channel.id(), stages),
                InstantSource.system(),
                tv.latent.time.MonotonicClock.system(),
                () -> false,
                null,
                media);
        open.add(pipeline);
        return pipeline;
    }

    /**
     * From the first render's start to the last one's end, over every node: the time the render
     * slots were needed for. Jobs over this span, against the ideal, says how well the nodes kept
     * every slot busy, apart from the last clips' post-production.
     */
    private static final class RenderSpan {
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        synchronized void started() {
            first = Math.min(first, System.nanoTime());
        }

        synchronized void ended() {
            last = Math.max(last, System.nanoTime());
        }

        synchronized double seconds() {
            return (last - first) / 1e9;
        }
    }
}
