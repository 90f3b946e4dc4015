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
        final DataLayout layout;
        final MediaCache media;
        final Pipeline pipeline;

        /** @param scorer this node's scorer made from the embedded one, or null for the embedded one */
        Node(
                String name,
                Database.Postgres database,
                S3Store.Settings bucket,
                java.util.function.UnaryOperator<Scorer> scorer)
                throws Exception {
            this.name = name;
            Path data = dir.resolve(name);
            LatentConfig config = TestChannels.config(data, "");
            layout = new DataLayout(data).prepare();
            db = Database.open(database);
            open.add(db);
            jobs = new JobStore(db, name, Duration.ofSeconds(3));
            library = new ClipLibrary(db, layout);
            media = new MediaCache(S3Store.open(bucket), data, 1L << 30);
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
            Scorer chosen = scorer != null ? scorer.apply(normal) : normal;
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

    /**
     * Waits for every job to be mastered, and for the node that mastered it to have announced it;
     * reads that fail (the database restarting) are tried again.
     */
    private void awaitAll(Node node, List<ShotJob> jobs) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (ShotJob job : jobs) {
            ShotJob done = null;
            while (done == null) {
                try {
                    done = node.pipeline.await(job.id(), Duration.ofNanos(Math.max(0, until - System.nanoTime())));
                } catch (java.sql.SQLException e) {
                    assertThat(System.nanoTime())
                            .as("reading " + job.id() + ": " + e)
                            .isLessThan(until);
                    Thread.sleep(500);
                }
            }
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
        Node a = new Node("node-a", database, bucket, normal -> hangs);
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

    /** Every job's render calls, over every node. */
    private int renders(ShotJob job) {
        AtomicInteger n = calls.get("render " + job.plan().prompt());
        return n == null ? 0 : n.get();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void postgresRestartedMidRunLosesNoJobAndRunsNoneTwice() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            Database.Postgres database = postgres.newDatabase();
            S3Store.Settings bucket = s3.newBucket();
            Node a = new Node("node-a", database, bucket, null);
            Node b = new Node("node-b", database, bucket, null);
            List<ShotJob> jobs = queue(a, 8);
            a.pipeline.start();
            b.pipeline.start();
            await("two clips mastered before the restart", () -> masteredBy.size() >= 2);
            int inFlight = jobs.size() - masteredBy.size();

            postgres.restart(); // every session ends; the data stays

            awaitAll(a, jobs);
            int paid = 0;
            for (ShotJob job : jobs) {
                assertThat(renders(job))
                        .as("renders of " + job.id() + ": once, twice when the restart interrupted it")
                        .isBetween(1, 2);
                paid += renders(job);
            }
            assertThat(paid - jobs.size())
                    .as("renders paid again: at most the jobs not yet mastered at the restart")
                    .isLessThanOrEqualTo(inFlight);
            assertThat(a.library.count("test")).as("one clip per job").isEqualTo(jobs.size());
            List<String> keys = s3.keys(bucket.bucket());
            for (ShotJob job : jobs) {
                assertThat(keys).contains("clips/test/" + job.id() + "/master.mp4");
            }
        }
    }

    @Test
    void theBucketUnreachableMidRunPausesGenerationAndEveryClipLandsWhenItIsBack() throws Exception {
        try (S3Server outage = S3Server.start()) {
            Database.Postgres database = PostgresServer.shared().newDatabase();
            S3Store.Settings bucket = outage.newBucket();
            Node a = new Node("node-a", database, bucket, null);
            Node b = new Node("node-b", database, bucket, null);
            List<ShotJob> jobs = queue(a, 6);
            a.pipeline.start();
            b.pipeline.start();
            await("a clip mastered before the outage", () -> !masteredBy.isEmpty());
            String first = masteredBy.keySet().iterator().next();
            Node holder = masteredBy.get(first).equals("node-a") ? a : b;

            outage.stop();
            await("both nodes see the bucket gone", () -> !a.media.writable() && !b.media.writable());
            // the node that mastered a clip still has it: it serves it without the bucket
            Path master = holder.layout.clip("test", first).resolve("master.mp4");
            assertThat(holder.media.fetch("clips/test/" + first + "/master.mp4", master))
                    .isTrue();
            Thread.sleep(5_000); // an outage of some seconds: nothing fails meanwhile, it waits
            for (ShotJob job : jobs) {
                ShotJob now = a.jobs.find(job.id()).orElseThrow();
                assertThat(now.state()).as(job.id() + ": " + now.lastError()).isNotEqualTo(JobState.FAILED);
            }

            outage.startAgain();
            awaitAll(a, jobs);
            assertThat(a.library.count("test")).isEqualTo(jobs.size());
            List<String> keys = outage.keys(bucket.bucket());
            for (ShotJob job : jobs) {
                assertThat(keys)
                        .as("every clip reached the bucket once it was back")
                        .contains("clips/test/" + job.id() + "/master.mp4", "clips/test/" + job.id() + "/thumb.jpg");
                assertThat(renders(job)).as("renders of " + job.id()).isEqualTo(1);
            }
        }
    }

    @Test
    void aNodeCutOffFromTheDatabaseStopsWritingLosesItsJobsAndComesBackCleanly() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        Database.Postgres database = postgres.newDatabase();
        S3Store.Settings bucket = s3.newBucket();
        try (tv.latent.testing.TcpRelay relay = tv.latent.testing.TcpRelay.to(postgres.port())) {
            Database.Postgres throughRelay = Database.Postgres.of(
                    database.url().replace(":" + postgres.port() + "/", ":" + relay.port() + "/"),
                    database.user(),
                    database.password());
            CountDownLatch answer = new CountDownLatch(1);
            AtomicInteger scoring = new AtomicInteger();
            Node a = new Node("node-a", throughRelay, bucket, normal -> (request, context) -> {
                if (scoring.incrementAndGet() > 2) {
                    return normal.score(request, context);
                }
                // node-a's scorer answers only once the node is cut off, and badly: node-a fails
                // the job for good, which the database must refuse, and which must not delete the
                // stage outputs in the bucket that node-b resumes from
                answer.await();
                Path out = context.newFile("late", "wav");
                Files.write(out, new byte[0]);
                return new tv.latent.generate.StageOutput(out, "late", Map.of());
            });
            List<ShotJob> jobs = queue(a, 2);
            a.pipeline.start();
            await("node-a holds both jobs at their score stage", () -> scoring.get() == 2);
            for (ShotJob job : jobs) {
                assertThat(a.jobs.leaseHolder(job.id())).contains("node-a");
            }

            relay.cut(); // a network partition: node-a hears nothing from the database, nor it from node-a
            answer.countDown();
            Node b = new Node("node-b", database, bucket, null);
            b.pipeline.start();
            awaitAll(b, jobs);
            for (ShotJob job : jobs) {
                assertThat(masteredBy.get(job.id())).isEqualTo("node-b");
                assertThat(renders(job))
                        .as("node-b resumed " + job.id() + " at its stage")
                        .isEqualTo(1);
            }
            List<Long> versions = new ArrayList<>();
            for (ShotJob job : jobs) {
                versions.add(b.jobs.find(job.id()).orElseThrow().version());
            }

            relay.mend();
            b.pipeline.close();
            // node-a works again: new jobs are its alone now
            List<ShotJob> more = queue(b, 2);
            awaitAll(a, more);
            for (ShotJob job : more) {
                assertThat(masteredBy.get(job.id())).isEqualTo("node-a");
            }
            for (int i = 0; i < jobs.size(); i++) {
                ShotJob now = a.jobs.find(jobs.get(i).id()).orElseThrow();
                assertThat(now.state()).isEqualTo(JobState.MASTERED);
                assertThat(now.version())
                        .as("node-a wrote nothing to the jobs it lost")
                        .isEqualTo(versions.get(i));
            }
            assertThat(a.library.count("test")).isEqualTo(4);
        }
    }
}
