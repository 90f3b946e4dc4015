package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.station.Backends;
import tv.latent.storage.MediaCache;
import tv.latent.storage.S3Store;
import tv.latent.testing.PostgresServer;
import tv.latent.testing.S3Server;
import tv.latent.testing.SlowTest;

/**
 * Several nodes share the work: pipelines of their own (each its own data directory) on one
 * PostgreSQL database and one bucket. Jobs spread over the nodes, each stage runs on one node at a
 * time, and a node that stops renewing its leases loses its jobs to another, which resumes each at
 * its stage from the outputs in the bucket; what the lost node would still store is refused.
 */
@SlowTest
class ClusterPipelineTest {
    private static S3Server s3;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    /** Calls of each stage, by stage and prompt, over every node. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Which node mastered each job. */
    private final Map<String, String> masteredBy = new ConcurrentHashMap<>();

    @BeforeAll
    static void startBucketServer() {
        s3 = S3Server.start();
    }

    @AfterAll
    static void stopBucketServer() {
        s3.close();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** One node: its own data directory and pool, the shared database and bucket. */
    private final class Node {
        final String name;
        final Database db;
        final JobStore jobs;
        final ClipLibrary library;
        final Pipeline pipeline;

        Node(String name, Database.Postgres database, S3Store.Settings bucket, Scorer scorer) throws Exception {
            this.name = name;
            Path data = dir.resolve(name);
            LatentConfig config = TestChannels.config(data, "");
            DataLayout layout = new DataLayout(data).prepare();
            db = Database.open(database);
            open.add(db);
            jobs = new JobStore(db, name, Duration.ofSeconds(3));
            library = new ClipLibrary(db, layout);
            MediaCache media = new MediaCache(S3Store.open(bucket), data, 1L << 30);
            open.add(media);
            Ffmpeg ffmpeg = Ffmpeg.locate(2);
            Backends backends = new Backends(config, ffmpeg);
            open.add(backends);
            ChannelConfig channel = config.channels().get(0);
            ChannelStages embedded = backends.stagesFor(channel);
            Renderer procedural = embedded.render().get(0).impl();
            Renderer counted = (request, context) -> {
                counted("render", request.prompt());
                return procedural.render(request, context);
            };
            Scorer normal = embedded.score().get(0).impl();
            Scorer chosen = scorer != null ? scorer : normal;
            Scorer countedScorer = (request, context) -> {
                counted("score", request.musicPrompt());
                return chosen.score(request, context);
            };
            ChannelStages stages = new ChannelStages(
                    channel,
                    List.of(Backend.of("procedural", counted, 2, Duration.ofMinutes(2))),
                    embedded.upscale(),
                    embedded.interpolate(),
                    List.of(Backend.of("procedural", countedScorer, 2, Duration.ofMinutes(2))));
            pipeline = new Pipeline(
                    jobs,
                    library,
                    layout,
                    ffmpeg,
                    config.pipeline(),
                    Map.of(channel.id(), stages),
                    InstantSource.system(),
                    tv.latent.time.MonotonicClock.system(),
                    () -> false,
                    null,
                    media);
            pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    if (job.state() == JobState.MASTERED) {
                        masteredBy.put(job.id(), Node.this.name);
                    }
                }
            });
            open.add(pipeline);
        }
    }

    private void counted(String stage, String prompt) {
        calls.computeIfAbsent(stage + " " + prompt, k -> new AtomicInteger()).incrementAndGet();
    }

    private static List<ShotJob> queue(Node node, int count) throws Exception {
        List<ShotPlan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(new ShotPlan(null, "shot " + i + ": a heron over a lake", "", 100 + i, "music " + i, "s1"));
        }
        return node.pipeline.submit("test", new tv.latent.director.Director.Direction(plans, "test", ""));
    }

    /** Waits for every job to be mastered, and for the node that mastered it to have announced it. */
    private void awaitAll(Node node, List<ShotJob> jobs) throws Exception {
        for (ShotJob job : jobs) {
            ShotJob done = node.pipeline.await(job.id(), Duration.ofMinutes(5));
            assertThat(done.state()).as(done.id() + ": " + done.lastError()).isEqualTo(JobState.MASTERED);
        }
        // the store says MASTERED a moment before the node's listeners hear it
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!jobs.stream().allMatch(j -> masteredBy.containsKey(j.id())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void jobsSpreadOverTheNodesAndEachIsMasteredOnceWithItsFilesInTheBucket() throws Exception {
        Database.Postgres database = PostgresServer.shared().newDatabase();
        S3Store.Settings bucket = s3.newBucket();
        Node a = new Node("node-a", database, bucket, null);
        Node b = new Node("node-b", database, bucket, null);
        List<ShotJob> jobs = queue(a, 6);
        a.pipeline.start();
        b.pipeline.start();

        awaitAll(a, jobs);

        assertThat(masteredBy.values()).as("both nodes worked").contains("node-a", "node-b");
        for (ShotJob job : jobs) {
            assertThat(calls.get("render " + job.plan().prompt()).get())
                    .as("renders of " + job.id())
                    .isEqualTo(1);
        }
        assertThat(a.library.count("test")).isEqualTo(6);
        List<String> keys = s3.keys(bucket.bucket());
        for (ShotJob job : jobs) {
            assertThat(keys)
                    .contains("clips/test/" + job.id() + "/master.mp4", "clips/test/" + job.id() + "/thumb.jpg");
        }
        assertThat(keys)
                .as("stage outputs leave the bucket once their clip is mastered")
                .noneMatch(k -> k.startsWith("work/"));
    }

    @Test
    void aNodeThatStopsRenewingLosesItsJobsToAnotherWhichResumesThemAtTheirStage() throws Exception {
        Database.Postgres database = PostgresServer.shared().newDatabase();
        S3Store.Settings bucket = s3.newBucket();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stuck = new AtomicInteger();
        Scorer hangs = (request, context) -> {
            stuck.incrementAndGet();
            release.await(); // a node that stalls mid-stage (its scorer never answers)
            Path out = context.newFile("late", "wav");
            Files.write(out, new byte[0]);
            return new tv.latent.generate.StageOutput(out, "late", Map.of());
        };
        Node a = new Node("node-a", database, bucket, hangs);
        List<ShotJob> jobs = queue(a, 2);
        a.pipeline.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (stuck.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(stuck.get())
                .as("node-a holds both jobs at their score stage")
                .isEqualTo(2);
        for (ShotJob job : jobs) {
            assertThat(a.jobs.find(job.id()).orElseThrow().state()).isEqualTo(JobState.SCORE);
            assertThat(a.jobs.leaseHolder(job.id())).contains("node-a");
        }

        // node-a stops: its lease keeper ends; its job threads stay stuck in the scorer
        Thread stopping = Thread.ofPlatform().start(a.pipeline::close);
        Node b = new Node("node-b", database, bucket, null);
        b.pipeline.start();

        awaitAll(b, jobs);
        for (ShotJob job : jobs) {
            assertThat(calls.get("render " + job.plan().prompt()).get())
                    .as("node-b resumed " + job.id() + " at its stage: no second render")
                    .isEqualTo(1);
            assertThat(calls.get("score " + job.plan().musicPrompt()).get())
                    .as("the score paid twice: node-a's interrupted try and node-b's")
                    .isEqualTo(2);
            assertThat(masteredBy.get(job.id())).isEqualTo("node-b");
        }
        List<Long> versions = new ArrayList<>();
        for (ShotJob job : jobs) {
            versions.add(b.jobs.find(job.id()).orElseThrow().version());
        }

        release.countDown(); // node-a's scorer answers at last: whatever it stores is refused
        stopping.join(Duration.ofMinutes(2));
        for (int i = 0; i < jobs.size(); i++) {
            ShotJob now = b.jobs.find(jobs.get(i).id()).orElseThrow();
            assertThat(now.state()).isEqualTo(JobState.MASTERED);
            assertThat(now.version()).as("node-a wrote nothing more").isEqualTo(versions.get(i));
        }
        assertThat(b.library.count("test")).isEqualTo(2);
    }
}
