package tv.latent.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Renderer;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.station.Backends;
import tv.latent.time.MonotonicClock;

/** Test vocabulary: a channel config, a wired pipeline over a fresh data directory, shot plans. */
final class TestChannels {
    private TestChannels() {}

    static LatentConfig config(Path dataDir, String extraChannelYaml) {
        String yaml =
                """
        dataDir: %s
        pipeline: {maxConcurrentJobs: 2, maxAttempts: 2, retryBackoffMillis: 50}
        channels:
          - id: test
            theme: wildlife at golden hour
        %s"""
                        .formatted(dataDir, extraChannelYaml.indent(4));
        return ConfigLoader.parse(yaml, dataDir.getParent().resolve("test.yaml"), k -> null);
    }

    static Director.Direction shots(String... prompts) {
        List<ShotPlan> plans = new java.util.ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            plans.add(new ShotPlan(null, prompts[i], "text, watermark", 1000 + i, "calm ambient piano", "s1"));
        }
        return new Director.Direction(plans, "test", "");
    }

    /** A pipeline over real embedded backends, optionally with renderers put in front of the channel's chain. */
    static final class Wired implements AutoCloseable {
        final LatentConfig config;
        final DataLayout layout;
        final Database db;
        final Ffmpeg ffmpeg;
        final ClipLibrary library;
        final JobStore jobs;
        final Backends factory;
        final Pipeline pipeline;

        Wired(Path dataDir, String channelYaml, List<Renderer> renderersFirst) throws Exception {
            this(config(dataDir, channelYaml), channelYaml, renderersFirst);
        }

        /** A pipeline over the backends a whole config declares (its first channel), for remote backends on fakes. */
        Wired(LatentConfig config) throws Exception {
            this(config, "", List.of());
        }

        /** A pipeline over the channel's embedded backends as {@code change} rewires them. */
        Wired(Path dataDir, String channelYaml, java.util.function.UnaryOperator<ChannelStages> change)
                throws Exception {
            this(config(dataDir, channelYaml), channelYaml, List.of(), change, null);
        }

        /** A pipeline over the backends a whole config declares (its first channel), as {@code change} rewires them. */
        Wired(LatentConfig config, java.util.function.UnaryOperator<ChannelStages> change) throws Exception {
            this(config, "", List.of(), change, null);
        }

        /** The same, with secrets read from {@code env}, and the config's budgets (spend recorded). */
        static Wired withEnvironment(LatentConfig config, java.util.function.Function<String, String> env)
                throws Exception {
            return new Wired(config, "", List.of(), java.util.function.UnaryOperator.identity(), env);
        }

        private Wired(LatentConfig config, String channelYaml, List<Renderer> renderersFirst) throws Exception {
            this(config, channelYaml, renderersFirst, java.util.function.UnaryOperator.identity(), null);
        }

        final Spending spending;

        private Wired(
                LatentConfig config,
                String channelYaml,
                List<Renderer> renderersFirst,
                java.util.function.UnaryOperator<ChannelStages> change,
                java.util.function.Function<String, String> env)
                throws Exception {
            this.config = config;
            layout = new DataLayout(config.dataDir()).prepare();
            db = Database.open(layout.database());
            ffmpeg = Ffmpeg.locate(2);
            library = new ClipLibrary(db, layout);
            jobs = new JobStore(db);
            factory = env == null ? new Backends(config, ffmpeg) : new Backends(config, ffmpeg, env);
            spending = env == null
                    ? null
                    : new Spending(
                            db,
                            config.currency(),
                            config.budget(),
                            Map.of(
                                    config.channels().get(0).id(),
                                    config.channels().get(0).budget()),
                            InstantSource.system());
            ChannelConfig channel = config.channels().get(0);
            ChannelStages stages = factory.stagesFor(channel);
            if (!renderersFirst.isEmpty()) {
                List<Backend<Renderer>> chain = new java.util.ArrayList<>();
                for (int i = 0; i < renderersFirst.size(); i++) {
                    chain.add(Backend.of("fake-" + i, renderersFirst.get(i), 2, Duration.ofMinutes(1)));
                }
                if (channelYaml.contains("keepEmbeddedRender")) {
                    chain.addAll(stages.render());
                }
                stages = new ChannelStages(channel, chain, stages.upscale(), stages.interpolate(), stages.score());
            }
            pipeline = new Pipeline(
                    jobs,
                    library,
                    layout,
                    ffmpeg,
                    config.pipeline(),
                    Map.of(channel.id(), change.apply(stages)),
                    InstantSource.system(),
                    MonotonicClock.system(),
                    () -> false,
                    spending,
                    tv.latent.storage.MediaStore.local());
        }

        /** Submits every shot and waits for all of them to end; returns them in the direction's order. */
        List<ShotJob> runAllToEnd(Director.Direction direction) throws Exception {
            pipeline.start();
            List<ShotJob> queued = pipeline.submit(config.channels().get(0).id(), direction);
            List<ShotJob> done = new java.util.ArrayList<>();
            for (ShotJob job : queued) {
                done.add(pipeline.await(job.id(), Duration.ofMinutes(3)));
            }
            return done;
        }

        ShotJob runToEnd(Director.Direction direction) throws Exception {
            pipeline.start();
            ShotJob job =
                    pipeline.submit(config.channels().get(0).id(), direction).get(0);
            return pipeline.await(job.id(), Duration.ofMinutes(3));
        }

        @Override
        public void close() {
            pipeline.close();
            factory.close();
            db.close();
        }
    }
}
