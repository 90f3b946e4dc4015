package tv.latent.station;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.library.ClipLibrary;
import tv.latent.library.ClusterClock;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.ChildLedger;
import tv.latent.media.Ffmpeg;
import tv.latent.pipeline.ChannelStages;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.AirableClip;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.playout.PushTarget;
import tv.latent.retention.DiskGuard;
import tv.latent.retention.Retention;
import tv.latent.storage.MediaCache;
import tv.latent.storage.MediaStore;
import tv.latent.storage.S3Store;
import tv.latent.time.MonotonicClock;
import tv.latent.web.Limits;
import tv.latent.web.Site;
import tv.latent.web.WebServer;

/**
 * The one composition root of LatentTV: builds every part from the configuration and owns their
 * start and stop order. The CLI commands and the end-to-end tests build it the same way.
 *
 * <pre>{@code
 * // a whole station: database, library, backends, pipeline, playout, lookahead, web
 * try (Station station = Station.start(config, Station.Options.serving(0))) {
 *   System.out.println(station.watchUrl("demo"));
 * }
 * // the parts that make clips only (the generate and resume commands)
 * try (Station station = Station.open(config)) {
 *   station.pipeline().start();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops what was started in reverse order (web, lookahead, retention, disk
 * guard, playout, pipeline, backends, database); idempotent. A failure while wiring closes what
 * was already open. Thread-safe after construction.
 */
public final class Station implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Station.class);

    private final LatentConfig config;
    private final DataLayout layout;
    private final Ffmpeg ffmpeg;
    private final ClipLibrary library;
    private final JobStore jobs;
    private final Backends backends;
    private final Map<String, Director> directors;
    private final Pipeline pipeline;
    private final DiskGuard guard;
    private final Retention retention;
    private final Database db;
    private final InstantSource clock;
    private final MediaStore media;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Playout playout;
    private Lookahead lookahead;
    private WebServer web;
    private StationMetrics metrics;
    private boolean closed;

    /**
     * How a station serves.
     *
     * @param port overrides the configuration's port when not null (0: any free port)
     * @param generate whether the pipeline and the lookahead run (off: playout airs the library as it is)
     * @param environment where push targets' stream keys are read ({@code System::getenv})
     * @param lookaheadTick how often each channel's lookahead is checked
     */
    public record Options(Integer port, boolean generate, UnaryOperator<String> environment, Duration lookaheadTick) {
        public static Options serving(Integer port) {
            return new Options(port, true, System::getenv, Duration.ofSeconds(1));
        }
    }

    private Station(LatentConfig config, UnaryOperator<String> environment) throws IOException, SQLException {
        this.config = config;
        this.layout = new DataLayout(config.dataDir()).prepare();
        // before any child starts: ends the ffmpeg an earlier run killed with SIGKILL left, keeps ours on record
        closeables.add(ChildLedger.open(layout.root().resolve("run")));
        try {
            this.ffmpeg = Ffmpeg.locate(config.pipeline().ffmpegProcesses());
            this.db = openDatabase(config, layout, environment);
            closeables.add(db);
            if (db.dialect() == Database.Dialect.POSTGRESQL) {
                // every node keeps the database's time: jobs, leases and airings agree whatever this machine's clock
                // says
                ClusterClock cluster = ClusterClock.start(db);
                closeables.add(cluster);
                this.clock = cluster;
            } else {
                this.clock = InstantSource.system();
            }
            this.media = openMedia(config, environment);
            closeables.add(media);
            this.library = new ClipLibrary(db, layout);
            this.jobs =
                    new JobStore(db, JobStore.defaultOwner(), config.database().lease());
            if (db.dialect() == Database.Dialect.POSTGRESQL || !media.isLocal()) {
                LOG.info("node {}: state in {}, media in {}", jobs.owner(), db.describe(), media);
            }
            this.backends = new Backends(config, ffmpeg);
            closeables.add(backends);
            Map<String, ChannelStages> stages = new LinkedHashMap<>();
            Map<String, Director> directorsByChannel = new LinkedHashMap<>();
            for (ChannelConfig channel : config.channels()) {
                stages.put(channel.id(), backends.stagesFor(channel));
                directorsByChannel.put(channel.id(), backends.directorFor(channel));
            }
            this.directors = Map.copyOf(directorsByChannel);
            this.guard = new DiskGuard(config.diskGuard(), DiskGuard.spaceOf(layout.root()));
            this.pipeline =
                    new Pipeline(jobs, library, layout, ffmpeg, config.pipeline(), stages, clock, guard::paused, media);
            closeables.add(pipeline);
            this.retention =
                    new Retention(db, layout, config.retention(), directorsByChannel.keySet(), guard, clock, media);
        } catch (SQLException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The configured database: the SQLite file in the data directory, or the PostgreSQL database nodes share. */
    private static Database openDatabase(LatentConfig config, DataLayout layout, UnaryOperator<String> environment)
            throws SQLException {
        LatentConfig.Database settings = config.database();
        if (!settings.postgres()) {
            return Database.open(layout.database());
        }
        return Database.open(new Database.Postgres(
                settings.url(),
                secret(settings.userEnv(), environment),
                secret(settings.passwordEnv(), environment),
                settings.poolSize()));
    }

    /** The configured media store: the data directory, or a bucket this node's data directory caches. */
    private static MediaStore openMedia(LatentConfig config, UnaryOperator<String> environment) throws IOException {
        LatentConfig.Storage storage = config.storage();
        if (!storage.bucketed()) {
            return MediaStore.local();
        }
        S3Store bucket = S3Store.open(new S3Store.Settings(
                storage.endpoint().isEmpty() ? null : java.net.URI.create(storage.endpoint()),
                storage.region(),
                storage.bucket(),
                storage.prefix(),
                storage.pathStyle(),
                secret(storage.accessKeyEnv(), environment),
                secret(storage.secretKeyEnv(), environment)));
        MediaCache cache = new MediaCache(bucket, config.dataDir(), storage.cacheBytes());
        cache.start();
        return cache;
    }

    /** A secret from the environment variable {@code name} (null when no variable is named). */
    private static String secret(String name, UnaryOperator<String> environment) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value.strip();
    }

    /** Wires the parts that make clips (database, library, backends, pipeline); nothing runs until started. */
    public static Station open(LatentConfig config) throws IOException, SQLException {
        return new Station(config, System::getenv);
    }

    /**
     * Opens and starts a whole station: playout (its slate airs at once), then the pipeline and the
     * lookahead (unless {@code options.generate()} is off), then the web server. On failure closes
     * what was started and rethrows.
     */
    public static Station start(LatentConfig config, Options options) throws Exception {
        int port = options.port() != null ? options.port() : config.server().port();
        WebServer.checkPort(config.server().host(), port);
        Station station = new Station(config, options.environment());
        try {
            station.serve(options, port);
            return station;
        } catch (Exception | Error e) {
            station.close();
            throw e;
        }
    }

    private void serve(Options options, int port) throws Exception {
        if (options.generate()) {
            pipeline.claim(); // before anything airs: a second generating station stops here, with one line
        }
        metrics = new StationMetrics();
        closeables.add(metrics);
        metrics.bindPipeline(jobs, pipeline, config.channels());
        metrics.bindBackends(backends);
        List<PlayoutChannel> onAir = new ArrayList<>();
        for (ChannelConfig channel : config.channels()) {
            onAir.add(new PlayoutChannel(
                    channel.id(),
                    channel.title(),
                    channel.format(),
                    pushTargets(channel, options.environment()),
                    channel.lookaheadSeconds()));
        }
        playout = new Playout(
                db,
                new LibraryCatalog(library),
                ffmpeg,
                config.dataDir(),
                onAir,
                clock,
                MonotonicClock.system(),
                media);
        closeables.add(playout);
        // playout first: its slate airs while the pipeline makes the first clips, and gets the CPU before them
        playout.start();
        metrics.bindPlayout(playout, config.channels(), this::generation);
        metrics.bindLibrary(library, config.channels(), config.dataDir());
        metrics.bindRetention(guard, retention);
        if (options.generate()) {
            // after playout (its channels' airings are what retention must not take away), before the
            // pipeline (it must not start while the disk is too full); closed before the database
            closeables.add(guard);
            closeables.add(retention);
            guard.start();
            retention.start();
            Playout airing = playout;
            pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    if (job.state() == JobState.MASTERED) {
                        airing.clipsArrived(job.channelId()); // taken in at once, not at the next round
                    }
                }
            });
            pipeline.start();
            lookahead = new Lookahead(
                    playout::unairedFreshSeconds,
                    pipeline,
                    jobs,
                    this::director,
                    config.channels(),
                    options.lookaheadTick(),
                    guard::paused,
                    // several nodes: a channel's shots are asked for by the node that schedules it
                    db.dialect() == Database.Dialect.POSTGRESQL ? airing::writer : channelId -> true);
            closeables.add(lookahead);
            lookahead.start();
        }
        List<Site.Channel> channels = config.channels().stream()
                .map(c -> new Site.Channel(c.id(), c.title(), c.theme()))
                .toList();
        Site site = new Site(
                channels,
                playout,
                library,
                jobs,
                options.generate() ? pipeline : null,
                config.dataDir(),
                this::generationPaused,
                media);
        StationMonitor monitor = new StationMonitor(
                this::generation,
                this::generationPaused,
                options.generate(),
                new StationHealth(jobs.database(), ffmpeg, layout, playout),
                metrics);
        web = WebServer.start(
                site, monitor, limits(config.server().limits()), config.server().host(), port);
        closeables.add(web);
        metrics.bindWeb(web, config.channels());
    }

    private static Limits limits(LatentConfig.ServerLimits limits) {
        return new Limits(
                limits.maxConnections(),
                limits.maxEventClients(),
                limits.maxEventClientsPerChannel(),
                limits.idleTimeout(),
                limits.headerTimeout());
    }

    /**
     * A channel's push targets with their stream keys read from the environment.
     *
     * @throws IllegalArgumentException when a key's variable is unset or a URL is not rtmp(s)://
     */
    static List<PushTarget> pushTargets(ChannelConfig channel, UnaryOperator<String> environment) {
        List<PushTarget> targets = new ArrayList<>();
        for (ChannelConfig.PushTarget push : channel.push()) {
            String key = null;
            if (!push.keyEnv().isEmpty()) {
                key = environment.apply(push.keyEnv());
                if (key == null || key.isBlank()) {
                    throw new IllegalArgumentException("channel " + channel.id() + ", push target " + push.name()
                            + ": environment variable " + push.keyEnv() + " (the stream key) is not set");
                }
            }
            try {
                targets.add(new PushTarget(push.name(), push.url().strip(), key == null ? null : key.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "channel " + channel.id() + ", push target " + push.name() + ": " + e.getMessage(), e);
            }
        }
        return targets;
    }

    /**
     * Checks the remote backends before work starts (see {@link Backends#checkAtStart()}): throws
     * when a model server's API no longer matches; an unreachable one only warns.
     */
    public List<String> checkBackends() throws InterruptedException {
        return backends.checkAtStart();
    }

    public LatentConfig config() {
        return config;
    }

    public DataLayout layout() {
        return layout;
    }

    public Ffmpeg ffmpeg() {
        return ffmpeg;
    }

    public ClipLibrary library() {
        return library;
    }

    public JobStore jobs() {
        return jobs;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * Why generation is paused (the disk guard found too little free space: no new shot or stage
     * until there is more; the channels air reruns), or empty while it is not. Fit for the API: no
     * paths.
     */
    public Optional<String> generationPaused() {
        return guard.pausedReason();
    }

    /** The disk guard (free bytes and the paused flag, for metrics). */
    public DiskGuard diskGuard() {
        return guard;
    }

    /**
     * Retention: started with a generating station; on an opened one, passes run only when asked
     * ({@link Retention#prune()}, {@link Retention#dryRun}).
     */
    public Retention retention() {
        return retention;
    }

    /** Every mastered clip of the channel whose master is on disk, in mastering order (for exports). */
    public List<AirableClip> airableClips(String channelId) {
        return new LibraryCatalog(library).everyAirable(channelId);
    }

    /**
     * How the channel's generation goes: normal, or failing (with the last reason and when the
     * lookahead asks again). Normal when this station does not generate.
     */
    public Lookahead.Generation generation(String channelId) {
        channel(channelId);
        return lookahead == null
                ? new Lookahead.Generation(0, "", java.util.Optional.empty())
                : lookahead.generation(channelId);
    }

    /** The channel's playout; only on a started station. */
    public Playout playout() {
        if (playout == null) {
            throw new IllegalStateException("this station does not air (opened, not started)");
        }
        return playout;
    }

    public Director director(String channelId) {
        Director director = directors.get(channelId);
        if (director == null) {
            throw new IllegalArgumentException(
                    "no channel '" + channelId + "' (channels: " + String.join(", ", directors.keySet()) + ")");
        }
        return director;
    }

    public ChannelConfig channel(String channelId) {
        return config.channel(channelId)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no channel '" + channelId + "' (channels: " + String.join(", ", directors.keySet()) + ")"));
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}; only on a started station. */
    public String url() {
        if (web == null) {
            throw new IllegalStateException("this station serves no web (opened, not started)");
        }
        return web.url();
    }

    public String watchUrl(String channelId) {
        return url() + "/watch/" + channelId;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", closeables.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
