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
import tv.latent.audience.Audience;
import tv.latent.audit.Audit;
import tv.latent.auth.Auth;
import tv.latent.config.Budget;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigException;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.iptv.LivingRoom;
import tv.latent.iptv.Ssdp;
import tv.latent.library.ClipLibrary;
import tv.latent.library.ClusterClock;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.ChildLedger;
import tv.latent.media.ClipExports;
import tv.latent.media.Ffmpeg;
import tv.latent.moderation.AuditTrail;
import tv.latent.moderation.ModeratedDirector;
import tv.latent.moderation.Moderator;
import tv.latent.pipeline.ChannelStages;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.pipeline.Spending;
import tv.latent.playout.AirableClip;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.playout.PushTarget;
import tv.latent.retention.DiskGuard;
import tv.latent.retention.Retention;
import tv.latent.storage.MediaCache;
import tv.latent.storage.MediaStore;
import tv.latent.storage.S3Store;
import tv.latent.web.Console;
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
 * <p>{@link #close()} stops what was started in reverse order (web, Twitch chats, audience,
 * lookahead, retention, disk guard, playout, moderation, pipeline, backends, database); idempotent. A failure while wiring closes what
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
    private final Lineup lineup;
    private final ConsoleChannels consoleChannels;
    private final Audit audit;
    private final UnaryOperator<String> environment;
    private final Pipeline pipeline;
    private final DiskGuard guard;
    private final Retention retention;
    private final Database db;
    private final InstantSource clock;
    private final MediaStore media;
    private ClipExports exports;
    private final Moderator moderator;
    /** Where moderation and audience decisions are recorded: the audit log. */
    private final AuditTrail trail;

    private final StationTime time;
    private final Spending spending;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Playout playout;
    private Lookahead lookahead;
    private Audience audience;
    private StudioAudience studioAudience;
    private WebServer web;
    private LivingRoom livingRoom;
    private StationMetrics metrics;
    private StationConsole console;
    private Optional<String> firstPassword = Optional.empty();
    private boolean closed;

    /**
     * How a station serves.
     *
     * @param port overrides the configuration's port when not null (0: any free port)
     * @param generate whether the pipeline and the lookahead run (off: playout airs the library as it is)
     * @param environment where push targets' stream keys are read ({@code System::getenv})
     * @param lookaheadTick how often each channel's lookahead is checked
     * @param time the clocks every part of the station reads ({@link StationTime#system()} but in tests)
     */
    public record Options(
            Integer port,
            boolean generate,
            UnaryOperator<String> environment,
            Duration lookaheadTick,
            StationTime time) {
        /** Options on the system's clocks. */
        public Options(Integer port, boolean generate, UnaryOperator<String> environment, Duration lookaheadTick) {
            this(port, generate, environment, lookaheadTick, StationTime.system());
        }

        public static Options serving(Integer port) {
            return new Options(port, true, System::getenv, Duration.ofSeconds(1));
        }

        /** These options on other clocks (a test's). */
        public Options withTime(StationTime time) {
            return new Options(port, generate, environment, lookaheadTick, time);
        }
    }

    private Station(LatentConfig config, UnaryOperator<String> environment, StationTime time)
            throws IOException, SQLException {
        this.config = config;
        this.environment = environment;
        this.time = time;
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
                this.clock = time.wall();
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
            this.audit = new Audit(db, clock, AUDIT_KEPT);
            this.trail = trail(audit);
            this.moderator = Moderator.of(config.studio().moderation(), environment::apply);
            closeables.add(moderator);
            this.consoleChannels = new ConsoleChannels(db, clock);
            List<Lineup.Entry> channels = new ArrayList<>();
            config.channels().forEach(c -> channels.add(new Lineup.Entry(c, Console.Origin.YAML)));
            channels.addAll(consoleChannels(config, consoleChannels, environment));
            Map<String, ChannelStages> stages = new LinkedHashMap<>();
            for (Lineup.Entry channel : channels) {
                stages.put(channel.config().id(), backends.stagesFor(channel.config()));
            }
            this.guard = new DiskGuard(config.diskGuard(), DiskGuard.spaceOf(layout.root()), time.monotonic());
            Map<String, Budget> budgets = new LinkedHashMap<>();
            channels.forEach(c -> budgets.put(c.config().id(), c.config().budget()));
            this.spending = new Spending(db, config.currency(), config.budget(), budgets, clock);
            closeables.add(spending::flush); // closed before the database, after the playout that counts airings
            this.pipeline = new Pipeline(
                    jobs,
                    library,
                    layout,
                    ffmpeg,
                    config.pipeline(),
                    stages,
                    clock,
                    time.monotonic(),
                    guard::paused,
                    spending,
                    media);
            // every shot a director writes passes moderation before anything is spent on it
            this.lineup = new Lineup(
                    channels,
                    backends,
                    pipeline,
                    environment,
                    c -> new ModeratedDirector(backends.directorFor(c), moderator, trail, c.id()),
                    spending);
            closeables.add(pipeline);
            this.retention =
                    new Retention(db, layout, config.retention(), lineup::ids, guard, clock, time.monotonic(), media);
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

    /** How long the audit log keeps an entry. */
    static final Duration AUDIT_KEPT = Duration.ofDays(400);

    /**
     * The channels made in the console, validated again by the YAML loader's rules against this
     * configuration; one that no longer passes (a backend gone from the YAML, an id the YAML took)
     * stays stored but is not on air, with a warning that says why.
     */
    private static List<Lineup.Entry> consoleChannels(
            LatentConfig config, ConsoleChannels stored, UnaryOperator<String> environment) throws SQLException {
        List<Lineup.Entry> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> row : stored.all().entrySet()) {
            if (config.channel(row.getKey()).isPresent()) {
                LOG.warn("console channel {} is not on air: the YAML file declares a channel of that id", row.getKey());
                continue;
            }
            try {
                out.add(new Lineup.Entry(
                        ConfigLoader.channel(row.getValue(), config, environment::apply), Console.Origin.CONSOLE));
            } catch (ConfigException e) {
                LOG.warn(
                        "console channel {} is not on air: {}; fix it in the console",
                        row.getKey(),
                        String.join("; ", e.problems()));
            }
        }
        return out;
    }

    /** Wires the parts that make clips (database, library, backends, pipeline); nothing runs until started. */
    public static Station open(LatentConfig config) throws IOException, SQLException {
        return new Station(config, System::getenv, StationTime.system());
    }

    /**
     * Opens and starts a whole station: playout (its slate airs at once), then the pipeline and the
     * lookahead (unless {@code options.generate()} is off), then the web server. On failure closes
     * what was started and rethrows.
     */
    public static Station start(LatentConfig config, Options options) throws Exception {
        int port = options.port() != null ? options.port() : config.server().port();
        WebServer.checkPort(config.server().host(), port);
        Station station = new Station(config, options.environment(), options.time());
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
        List<ChannelConfig> channels = lineup.configs();
        metrics.bindPipeline(jobs, pipeline, channels);
        metrics.bindBackends(backends);
        BackendStats stats = new BackendStats(time.monotonic(), clock);
        pipeline.addListener(stats);
        List<PlayoutChannel> onAir = new ArrayList<>();
        for (ChannelConfig channel : channels) {
            onAir.add(lineup.playoutChannel(channel));
        }
        playout = new Playout(
                db, new LibraryCatalog(library), ffmpeg, config.dataDir(), onAir, clock, time.monotonic(), media);
        closeables.add(playout);
        if (options.generate()) {
            // only the station that makes clips writes: a --no-generate origin would count every airing twice
            playout.addListener(new AiredClips(spending));
        }
        // playout first: its slate airs while the pipeline makes the first clips, and gets the CPU before them
        playout.start();
        metrics.bindPlayout(playout, channels, this::generation);
        metrics.bindLibrary(library, channels, config.dataDir());
        metrics.bindRetention(guard, retention);
        metrics.bindSpending(spending, channels);
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
                    channels,
                    options.lookaheadTick(),
                    guard::paused,
                    clock,
                    time.monotonic(),
                    // several nodes: a channel's shots are asked for by the node that schedules it
                    db.dialect() == Database.Dialect.POSTGRESQL ? airing::writer : channelId -> true);
            closeables.add(lookahead);
            for (String paused : consoleChannels.paused()) {
                lookahead.pause(paused, true);
            }
            lookahead.start();
            startAudience(options);
        }
        lineup.serving(playout, lookahead, metrics, studioAudience);
        Auth auth = new Auth(jobs.database(), clock, time.monotonic(), Auth.Settings.DEFAULT);
        firstPassword = auth.firstStart(options.environment()::apply);
        console = new StationConsole(
                lineup,
                consoleChannels,
                config,
                options.environment(),
                pipeline,
                lookahead,
                playout,
                library,
                retention,
                backends,
                stats,
                auth,
                audit);
        livingRoom = new LivingRoom(config, lineup::configs, jobs.database(), library, clock, options.generate());
        Site site = new Site(
                () -> lineup.configs().stream()
                        .map(c -> new Site.Channel(c.id(), c.title(), c.theme()))
                        .toList(),
                playout,
                library,
                jobs,
                options.generate() ? pipeline : null,
                config.dataDir(),
                this::generationPaused,
                console,
                livingRoom,
                spending,
                exports(),
                audience,
                media);
        StationMonitor monitor = new StationMonitor(
                this::generation,
                this::generationPaused,
                options.generate(),
                new StationHealth(jobs.database(), ffmpeg, layout, playout),
                metrics);
        web = WebServer.start(
                site,
                monitor,
                limits(config.server().limits(), config.iptv()),
                config.server().host(),
                port);
        closeables.add(web);
        metrics.bindWeb(web, channels);
        if (config.iptv().ssdp()) {
            Ssdp ssdp = Ssdp.onLocalNetwork(livingRoom.deviceId(), livingRoom.baseUrl(null, web.url()) + "/device.xml");
            closeables.add(ssdp);
            ssdp.start();
        }
    }

    /**
     * The audience loop (viewers' suggestions and votes) and each channel's Twitch chat: after
     * playout and the pipeline (suggestions become shots ahead of the lookahead's and air next),
     * closed before them.
     */
    private void startAudience(Options options) {
        audience = new Audience(
                jobs.database(),
                pipeline,
                playout,
                library,
                moderator,
                trail,
                config.studio().audience(),
                clock);
        studioAudience = new StudioAudience(audience, config.studio().twitch(), options.environment(), this::director);
        closeables.add(studioAudience);
        for (ChannelConfig channel : lineup.configs()) {
            studioAudience.put(channel);
        }
        audience.start();
    }

    /** The audit log as moderation and the audience record into it; an entry it cannot store is logged. */
    private static AuditTrail trail(Audit audit) {
        return (actor, action, subject, detail) -> {
            try {
                audit.record(actor, action, subject, detail);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("audit entry not stored ({} {} {}: {}): {}", actor, action, subject, detail, e.toString());
            }
        };
    }

    private static Limits limits(LatentConfig.ServerLimits limits, LatentConfig.Iptv iptv) {
        return new Limits(
                limits.maxConnections(),
                limits.maxEventClients(),
                limits.maxEventClientsPerChannel(),
                limits.idleTimeout(),
                limits.headerTimeout(),
                iptv.tunerCount(),
                Duration.ofSeconds(iptv.clientBufferSeconds()));
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

    /**
     * The audience loop: viewers' suggestions, votes, the public queue, operators' review and
     * captions' credits. Present on a started station that generates.
     */
    public Optional<Audience> audience() {
        return Optional.ofNullable(audience);
    }

    /** The moderation gate every viewer suggestion and every director shot passes. */
    public Moderator moderator() {
        return moderator;
    }

    /**
     * What the channel's paid backends cost: the last hour and day, all-time, its caps, whether it
     * is held at a cap (and why), and the cost per aired minute. For the API and metrics.
     */
    public Spending.ChannelSpend spending(String channelId) throws SQLException {
        channel(channelId);
        return spending.status(channelId);
    }

    /** What the whole station's paid backends cost over the last hour and day, and its caps. */
    public Spending.StationSpend spending() throws SQLException {
        return spending.station();
    }

    /** Backends that stopped calling their servers because their credentials were refused, with why. */
    public Map<String, String> misconfiguredBackends() {
        return backends.misconfigured();
    }

    /** The channel's playout; only on a started station. */
    public Playout playout() {
        if (playout == null) {
            throw new IllegalStateException("this station does not air (opened, not started)");
        }
        return playout;
    }

    public Director director(String channelId) {
        return lineup.director(channelId);
    }

    /** A channel on air (from the YAML file or made in the console). */
    public ChannelConfig channel(String channelId) {
        return lineup.entry(channelId)
                .map(Lineup.Entry::config)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no channel '" + channelId + "' (channels: " + String.join(", ", lineup.idList()) + ")"));
    }

    /** Every channel on air now: the YAML file's, then those made in the console. */
    public List<ChannelConfig> channels() {
        return lineup.configs();
    }

    /**
     * The audit log: every operator and moderation action. Record one with
     * {@code station.audit().record(actor, action, subject, detail)}.
     */
    public Audit audit() {
        return audit;
    }

    /**
     * What operators may do (the console at {@code /admin} does it through this); only on a
     * started station.
     */
    public Console console() {
        if (console == null) {
            throw new IllegalStateException("this station has no console (opened, not started)");
        }
        return console;
    }

    /**
     * The first operator's password when this start made it (no {@code LATENTTV_ADMIN_PASSWORD}
     * was set and no operator existed): to be printed once; only its hash is stored.
     */
    public Optional<String> firstPassword() {
        return firstPassword;
    }

    /**
     * The station as media centers see it: playlist, guide, tuner (the started station's own; on
     * an opened one, made on first use, for the {@code epg} command).
     */
    public synchronized LivingRoom livingRoom() throws SQLException {
        if (livingRoom == null) {
            livingRoom = new LivingRoom(config, lineup::configs, jobs.database(), library, clock, true);
        }
        return livingRoom;
    }

    /**
     * The clips' GIF and WebP exports, kept under the data directory's {@code exports} (the clip
     * pages' and the {@code export} command's); closed with the station.
     */
    public synchronized ClipExports exports() {
        if (exports == null) {
            exports = new ClipExports(ffmpeg, layout.root().resolve("exports"), ClipExports.Limits.DEFAULT, clock);
            closeables.add(exports);
        }
        return exports;
    }

    /** Where the library's files are kept: the data directory, or a bucket it caches. */
    public MediaStore media() {
        return media;
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
