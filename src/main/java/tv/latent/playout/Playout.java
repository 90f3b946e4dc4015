package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.library.Database;
import tv.latent.logging.Logging;
import tv.latent.media.Ffmpeg;
import tv.latent.storage.MediaStore;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Live playout of every channel of the process: timelines, HLS and RTMP push.
 *
 * <pre>{@code
 * try (Playout playout = new Playout(db, catalog, ffmpeg, dataDir, channels, InstantSource.system())) {
 *   playout.addListener(now -> sse.broadcast(now));
 *   playout.start();
 *   // GET /channels/{id}/{name}: playout.resolve(id, name) → Found(body, type, cache) or NotFound
 *   // the lookahead: while playout.unairedFreshSeconds(id) < lookahead, make shots
 *   // the pipeline mastered a clip: playout.clipsArrived(id)
 * }
 * }</pre>
 *
 * <p>{@link #start()} opens each channel (as its writer, or as a follower when another process
 * airs it) and starts one virtual thread per channel (scheduling ahead of the live edge,
 * "now playing" events, pruning; it sleeps until the next of these is due, and re-reads a
 * non-system clock every second), and on the writer one virtual thread plus one ffmpeg per push
 * target. Now-playing events reach listeners on one thread of their own through a queue of
 * {@link #EVENTS_QUEUED} (the oldest dropped when full), never on a channel thread. Clip
 * segments go in {@code hls/} beside each master; channel files (slates, the writer lock) in
 * {@code {dataDir}/channels/{id}/}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and stops everything within seconds.
 */
public final class Playout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Playout.class);
    /** Longest sleep of a channel thread on the system clock (prune is due every 10 minutes anyway). */
    private static final Duration MAX_IDLE = Duration.ofMinutes(1);
    /** Any other clock (a test's) can jump, so the thread re-reads it at least this often, in real time. */
    private static final Duration POLL = Duration.ofMillis(1000);
    /** Now-playing events waiting for listeners; beyond it the oldest is dropped. */
    static final int EVENTS_QUEUED = 256;

    private static final Backoff FAILING = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final long CACHE_BYTES = 64L << 20;

    /** The channels on air, in the order they were added; changed only under {@link #lifecycle}. */
    private volatile Map<String, OnAirChannel> channels = Map.of();

    private final List<Consumer<NowPlaying>> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<NowPlaying> events = new ArrayBlockingQueue<>(EVENTS_QUEUED);
    private final AtomicLong eventsDropped = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration maxIdle;
    private final Database db;
    private final ClipCatalog catalog;
    private final Ffmpeg ffmpeg;
    private final Path dataDir;
    private final InstantSource wall;
    private final MonotonicClock monotonic;
    private final MediaStore media;
    private final SegmentCache cache = new SegmentCache(CACHE_BYTES);

    /** One channel on air: its playout, its push targets and its threads (stopped alone when the channel goes). */
    private static final class OnAirChannel {
        final ChannelPlayout playout;
        final List<Thread> threads = new ArrayList<>();
        volatile List<RtmpPusher> pushers;
        volatile boolean stopped;

        OnAirChannel(ChannelPlayout playout, List<RtmpPusher> pushers) {
            this.playout = playout;
            this.pushers = pushers;
        }
    }

    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;

    /** A playout whose channel time follows {@code clock} (for tools and tests that move one clock only). */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource clock) {
        this(db, catalog, ffmpeg, dataDir, configs, clock, MonotonicClock.following(clock));
    }

    /**
     * @param wall what instant a channel tick stands for
     * @param monotonic how channel time advances (steps of {@code wall} do not move it)
     * @throws IllegalArgumentException when channel ids repeat
     */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource wall,
            MonotonicClock monotonic) {
        this(db, catalog, ffmpeg, dataDir, configs, wall, monotonic, MediaStore.local());
    }

    /**
     * A playout among several nodes: cuts are shared through {@code media} (the writer shares what
     * it cuts; any node fetches what it serves), and {@code db}'s engine says which writer lock
     * decides who schedules each channel (a file on SQLite, an advisory lock on PostgreSQL).
     */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource wall,
            MonotonicClock monotonic,
            MediaStore media) {
        this.media = media;
        this.maxIdle = wall.equals(InstantSource.system()) ? MAX_IDLE : POLL;
        this.db = db;
        this.catalog = catalog;
        this.ffmpeg = ffmpeg;
        this.dataDir = dataDir;
        this.wall = wall;
        this.monotonic = monotonic;
        Map<String, OnAirChannel> initial = new LinkedHashMap<>();
        for (PlayoutChannel config : configs) {
            if (initial.containsKey(config.id())) {
                throw new IllegalArgumentException("channel " + config.id() + " is configured twice");
            }
            initial.put(config.id(), make(config));
        }
        channels = java.util.Collections.unmodifiableMap(initial);
    }

    private OnAirChannel make(PlayoutChannel config) {
        ChannelPlayout channel =
                new ChannelPlayout(config, db, catalog, ffmpeg, dataDir, wall, monotonic, cache, media);
        return new OnAirChannel(channel, pushersFor(channel, config.pushTargets()));
    }

    private List<RtmpPusher> pushersFor(ChannelPlayout channel, List<PushTarget> targets) {
        List<RtmpPusher> list = new ArrayList<>();
        for (PushTarget target : targets) {
            list.add(new RtmpPusher(channel, target, ffmpeg.executable(), monotonic));
        }
        return List.copyOf(list);
    }

    /** Opens every channel's timeline (resuming where the clock says) and starts its threads. Idempotent. */
    public void start() throws SQLException, IOException, InterruptedException {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            for (OnAirChannel channel : channels.values()) {
                channel.playout.open();
            }
            started = true;
            threads.add(Thread.ofVirtual().name("playout-events").start(this::deliverEvents));
            channels.values().forEach(this::run);
        }
    }

    private void run(OnAirChannel channel) {
        ChannelPlayout playout = channel.playout;
        channel.threads.add(
                Thread.ofVirtual().name("playout-" + playout.config().id()).start(() -> runChannel(channel)));
        channel.threads.add(
                Thread.ofVirtual().name("precut-" + playout.config().id()).start(() -> {
                    MDC.put(Logging.CHANNEL, playout.config().id());
                    playout.runPrecut(() -> closed || channel.stopped);
                }));
        if (playout.writer()) {
            channel.pushers.forEach(RtmpPusher::start);
        }
    }

    /**
     * Puts a new channel on air at once, without a restart: its timeline opens (or resumes, if the
     * channel aired before) and its threads start.
     *
     * @throws IllegalArgumentException when a channel of that id is on air
     */
    public void addChannel(PlayoutChannel config) throws SQLException, IOException, InterruptedException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("playout is closed");
            }
            if (channels.containsKey(config.id())) {
                throw new IllegalArgumentException("channel " + config.id() + " is on air already");
            }
            OnAirChannel channel = make(config);
            if (started) {
                channel.playout.open();
                run(channel);
            }
            Map<String, OnAirChannel> next = new LinkedHashMap<>(channels);
            next.put(config.id(), channel);
            channels = java.util.Collections.unmodifiableMap(next);
        }
    }

    /**
     * Takes a channel off air: its pushes and threads stop and its writer lock is freed; its
     * timeline and clips stay in the database (adding the channel again resumes it).
     *
     * @return false when no such channel is on air
     */
    public boolean removeChannel(String channelId) {
        OnAirChannel channel;
        synchronized (lifecycle) {
            channel = channels.get(channelId);
            if (channel == null) {
                return false;
            }
            Map<String, OnAirChannel> next = new LinkedHashMap<>(channels);
            next.remove(channelId);
            channels = java.util.Collections.unmodifiableMap(next);
        }
        stop(channel);
        return true;
    }

    /**
     * Changes a channel on air, without a restart: title, review policy and lookahead take effect at
     * once, push targets that went are stopped and new ones started. A new house format is a new
     * timeline geometry: the channel is taken off air and put on again (it resumes where the clock
     * says, with a discontinuity).
     */
    public void updateChannel(PlayoutChannel config) throws SQLException, IOException, InterruptedException {
        OnAirChannel channel = channels.get(config.id());
        if (channel == null) {
            throw new IllegalArgumentException("no channel " + config.id() + " on air");
        }
        if (!channel.playout.config().format().equals(config.format())) {
            removeChannel(config.id());
            addChannel(config);
            return;
        }
        synchronized (lifecycle) {
            List<PushTarget> before = channel.playout.config().pushTargets();
            channel.playout.reconfigure(config);
            if (!before.equals(config.pushTargets())) {
                List<RtmpPusher> old = channel.pushers;
                old.forEach(RtmpPusher::close);
                channel.pushers = pushersFor(channel.playout, config.pushTargets());
                if (started && channel.playout.writer()) {
                    channel.pushers.forEach(RtmpPusher::start);
                }
            }
        }
    }

    private static void stop(OnAirChannel channel) {
        channel.stopped = true;
        channel.pushers.forEach(RtmpPusher::close);
        channel.threads.forEach(Thread::interrupt);
        for (Thread t : channel.threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channel.playout.release();
    }

    /**
     * A channel's thread: runs the channel's rounds (see {@link ChannelPlayout#step()}), announces
     * airing changes, then sleeps until the next round is due (about two wake-ups per airing), or
     * until woken. A failing round is retried after a backoff; an {@link Error} is not caught here
     * (it ends the thread, and the process's uncaught-exception handler ends the process).
     */
    private void runChannel(OnAirChannel onAir) {
        ChannelPlayout channel = onAir.playout;
        MDC.put(Logging.CHANNEL, channel.config().id());
        long announced = Long.MIN_VALUE;
        int failures = 0;
        boolean wasWriter = channel.writer();
        while (!closed && !onAir.stopped) {
            try {
                channel.step();
                failures = 0;
                if (!wasWriter && channel.writer()) {
                    wasWriter = true;
                    onAir.pushers.forEach(RtmpPusher::start);
                } else if (wasWriter && !channel.writer()) {
                    // only the channel's writer pushes: once per target in the whole cluster
                    wasWriter = false;
                    replacePushers(onAir);
                }
                long current = channel.currentAiringSequence();
                if (current != announced) {
                    announced = current;
                    channel.nowPlayingAsPublished().ifPresent(this::announce);
                }
                channel.awaitWork(channel.idle(MAX_IDLE), maxIdle);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                Duration wait = FAILING.delay(failures);
                log.error(
                        "channel {}: scheduling failed ({} in a row), retrying in {} ms: {}",
                        channel.config().id(),
                        failures,
                        wait.toMillis(),
                        e.toString(),
                        failures == 1 ? e : null);
                try {
                    channel.awaitWork(wait, MAX_IDLE);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Stops a channel's pushes and readies fresh ones, started when it is the writer again. */
    private void replacePushers(OnAirChannel channel) {
        synchronized (lifecycle) {
            List<RtmpPusher> old = channel.pushers;
            old.forEach(RtmpPusher::close);
            channel.pushers =
                    pushersFor(channel.playout, channel.playout.config().pushTargets());
        }
    }

    private void announce(NowPlaying playing) {
        while (!events.offer(playing)) {
            if (events.poll() != null) {
                eventsDropped.incrementAndGet();
            }
        }
    }

    private void deliverEvents() {
        while (!closed) {
            NowPlaying playing;
            try {
                playing = events.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Consumer<NowPlaying> listener : listeners) {
                try {
                    listener.accept(playing);
                } catch (RuntimeException e) {
                    log.warn("a now-playing listener failed: {}", e.toString());
                }
            }
        }
    }

    /**
     * Calls {@code listener} whenever a channel's airing changes, on the playout's event thread
     * (never a channel thread); a slow listener delays only the events, which are dropped oldest
     * first beyond {@link #EVENTS_QUEUED}.
     */
    public void addListener(Consumer<NowPlaying> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<NowPlaying> listener) {
        listeners.remove(listener);
    }

    /** Now-playing events dropped because listeners fell behind. */
    public long eventsDropped() {
        return eventsDropped.get();
    }

    /**
     * Airings this process decided for a channel since it started, by kind (a follower decides none).
     *
     * @param fresh clips airing for the first time
     * @param reruns clips airing again because no fresh one was ready
     * @param slates title cards, because the library had nothing to air
     */
    public record AiringCounts(long fresh, long reruns, long slates) {}

    /** Airings this process decided for the channel, by kind; zeros before start. */
    public AiringCounts airingCounts(String channelId) {
        OnAirChannel channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("no channel " + channelId);
        }
        return channel.playout.airingCounts();
    }

    /** Tells the channel that clips arrived in the library (it takes them in at once, not at its next round). */
    public void clipsArrived(String channelId) {
        OnAirChannel channel = channels.get(channelId);
        if (channel != null) {
            channel.playout.wakeUp();
        }
    }

    /** Channel ids, in configuration order. */
    public List<String> channelIds() {
        return List.copyOf(channels.keySet());
    }

    /** True when this process decides the channel's airings; false when it follows another process's. */
    public boolean writer(String channelId) {
        return channel(channelId).writer();
    }

    /**
     * Serves a channel's HLS file by name: {@code live.m3u8} or {@code <sequence>.ts}. Names are
     * never used as paths, so nothing outside the channel can be reached.
     */
    public HlsResponse resolve(String channelId, String name) throws IOException, InterruptedException, SQLException {
        OnAirChannel channel = channels.get(channelId);
        if (channel == null || !started) {
            return new HlsResponse.NotFound("no channel " + channelId + " on air");
        }
        return channel.playout.resolve(name);
    }

    /** The channel's live playlist text. */
    public String playlist(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).playlist();
    }

    /** A live segment by name ({@code <sequence>.ts}), or a not-found. */
    public HlsResponse segment(String channelId, String name) throws IOException, InterruptedException, SQLException {
        if ("live.m3u8".equals(name)) {
            return new HlsResponse.NotFound("not a segment name");
        }
        return resolve(channelId, name);
    }

    /**
     * The channel's segments from the live point on, one after another as their start comes, for
     * one reader (see {@link SegmentFeed}).
     */
    public SegmentFeed feed(String channelId) {
        return new SegmentFeed(channel(channelId));
    }

    /**
     * What aired on a channel between {@code since} and {@code until}, oldest first: every airing
     * that ends after {@code since} and starts at or before {@code until}, as the stored timeline
     * has it (history older than a day is pruned). Reads the database only, so it works in any
     * process, airing or not. One read backwards by primary key, as long as the span.
     *
     * @param fps the channel's frame rate (its house format's)
     */
    public static List<Aired> aired(Database db, String channelId, int fps, Instant since, Instant until)
            throws SQLException {
        Optional<Long> epoch = Timeline.epoch(db, channelId);
        if (epoch.isEmpty()) {
            return List.of();
        }
        long epochMs = epoch.get();
        int ticksPerFrame = 90_000 / fps;
        long sinceTicks = (since.toEpochMilli() - epochMs) * 90;
        long untilTicks = (until.toEpochMilli() - epochMs) * 90;
        List<Aired> out = new ArrayList<>();
        for (Airing a : Timeline.between(db, channelId, sinceTicks, untilTicks, ticksPerFrame)
                .reversed()) {
            out.add(new Aired(
                    channelId,
                    a.clipId(),
                    a.title(),
                    PlaylistWriter.instant(epochMs, a.startTicks()),
                    PlaylistWriter.instant(epochMs, a.endTicks(ticksPerFrame)),
                    a.fresh()));
        }
        return out;
    }

    /** When a clip first and last aired on its channel, and how many times. */
    public record ClipAirings(Instant first, Instant latest, long times) {}

    /** When a clip aired on a channel, by the stored timeline; empty when it never did. */
    public static Optional<ClipAirings> clipAirings(Database db, String channelId, String clipId) throws SQLException {
        Optional<Long> epoch = Timeline.epoch(db, channelId);
        if (epoch.isEmpty()) {
            return Optional.empty();
        }
        return Timeline.firstAndLatest(db, channelId, clipId)
                .map(t -> new ClipAirings(
                        PlaylistWriter.instant(epoch.get(), t[0]), PlaylistWriter.instant(epoch.get(), t[1]), t[2]));
    }

    /** What is on air now. */
    public Optional<NowPlaying> nowPlaying(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).nowPlaying();
    }

    /** What airs next: already scheduled, or the scheduler's choice as of its last round. */
    public Optional<NowPlaying> upNext(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).upNext();
    }

    /** Seconds of fresh (never aired) clips ready for the channel, including the unaired rest of those on air. */
    public double unairedFreshSeconds(String channelId) {
        try {
            return channel(channelId).unairedFreshSeconds();
        } catch (SQLException e) {
            throw new IllegalStateException("reading channel " + channelId + "'s fresh clips: " + e.getMessage(), e);
        }
    }

    /** The configured lookahead of the channel, in seconds. */
    public int lookaheadSeconds(String channelId) {
        return channel(channelId).config().lookaheadSeconds();
    }

    /** True when the pipeline should make more shots for the channel. */
    public boolean wantsMoreClips(String channelId) {
        return unairedFreshSeconds(channelId) < lookaheadSeconds(channelId);
    }

    ChannelPlayout channel(String channelId) {
        OnAirChannel channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("no channel " + channelId);
        }
        if (!started) {
            throw new IllegalStateException("playout is not started");
        }
        return channel.playout;
    }

    /** The state of each RTMP push of a channel, in the configuration's order; empty when it pushes nowhere. */
    public List<PushStatus> pushes(String channelId) {
        return pushers(channelId).stream().map(RtmpPusher::status).toList();
    }

    List<RtmpPusher> pushers(String channelId) {
        OnAirChannel channel = channels.get(channelId);
        return channel == null ? List.of() : channel.pushers;
    }

    /**
     * Takes a clip off air on a channel at once: if it is on air, the live playlist moves past it at
     * its next refresh (with a discontinuity); it is dropped from what is decided ahead and never
     * airs again on the channel (not as a rerun either). Works in any process on the data: the
     * channel's writer applies it within its next round.
     *
     * @param reason kept with the clip's programming state (for the audit and the console)
     * @return false when the channel's programming does not hold the clip
     */
    public boolean takeOffAir(String channelId, String clipId, String reason)
            throws SQLException, InterruptedException {
        return channel(channelId).takeOffAir(clipId, reason);
    }

    /**
     * Lets a clip held for review (a channel that reviews clips) air: it becomes fresh.
     *
     * @return false when the clip is not held on the channel
     */
    public boolean approve(String channelId, String clipId) throws SQLException {
        return channel(channelId).approve(clipId);
    }

    /**
     * Airs a fresh clip before the channel's other fresh clips (a viewer's shot), at the next decision.
     *
     * @return false when the clip is not fresh (or held) on the channel
     */
    public boolean airNext(String channelId, String clipId) throws SQLException {
        return channel(channelId).airNext(clipId);
    }

    /** The clip's state in the channel's programming: FRESH, HELD, AIRED, SKIPPED or OFF_AIR; empty when unknown. */
    public Optional<String> programmingState(String channelId, String clipId) throws SQLException {
        return channel(channelId).programmingState(clipId);
    }

    /** When the clip starts on the channel's decided timeline (it is on air, or decided ahead). */
    public Optional<java.time.Instant> scheduledStart(String channelId, String clipId) {
        return channel(channelId).scheduledStart(clipId);
    }

    /** Where the channel's decided timeline ends: the earliest start of anything not decided yet. */
    public Optional<java.time.Instant> decidedUntil(String channelId) {
        return channel(channelId).decidedUntil();
    }

    /** Stops push targets first, then the channel threads, then frees the writer locks; bounded. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        channels.values().forEach(c -> c.stopped = true);
        channels.values().stream().flatMap(c -> c.pushers.stream()).forEach(RtmpPusher::close);
        channels.values().forEach(c -> threads.addAll(c.threads));
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.values().forEach(c -> c.playout.release());
    }
}
