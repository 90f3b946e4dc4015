package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.storage.MediaStore;
import tv.latent.time.MonotonicClock;

/**
 * One channel on air: its writer's {@link Scheduler} (present while this process holds the
 * channel's {@link WriterLock}) decides airings ahead of the live edge; the published decisions
 * ({@link OnAir} snapshots) are what {@link HlsFiles} serves and what now-playing reads.
 *
 * <p>Which segment is live at a tick is a pure function of the persisted timeline, so a restart
 * resumes where the clock says and media sequence numbers only grow. Airings are decided shortly
 * before they start ({@link #leadTicks}; among several nodes far enough ahead to cover a writer's
 * handover), so a clip mastered while the channel is live airs at the next decision.
 *
 * <p>Two roles: the <em>writer</em> (one per channel, holding the channel's lock) decides airings
 * and persists them; a <em>follower</em> (a second origin on the same data, or another node on the
 * same PostgreSQL database and bucket) reads the writer's timeline and serves byte-identical
 * playlists, and becomes the writer when the lock frees. A writer that finds it no longer holds
 * the lock (its database session ended) goes back to following before it decides anything more.
 *
 * <p>Thread-safety: {@link #step()} and everything it calls (the scheduler, the timeline, the
 * programming, cuts made with ffmpeg) run only on the channel's thread; the precut thread runs
 * {@link #runPrecut}. Requests run on any thread and only read the last published snapshot (a
 * volatile reference), the cut indexes and the segment files; they never decide, cut or write.
 * When a request finds the snapshot ends before now (the scheduler is behind, which in normal
 * running it never is), it wakes the channel thread and waits for it at most {@link
 * #REQUEST_WAIT}.
 */
final class ChannelPlayout {
    private static final Logger log = LoggerFactory.getLogger(ChannelPlayout.class);

    /** Segments in the live playlist's sliding window. */
    static final int WINDOW = PlaylistWriter.WINDOW;

    /** Channel timestamp of tick 0: keeps the first DTS (before B-frame reordering) positive. */
    static final long BASE_PTS = 10L * 90_000;

    /** The longest a request waits for a scheduler that is behind (never, in normal running). */
    static final Duration REQUEST_WAIT = Duration.ofSeconds(5);

    /**
     * The scheduler decides at least this far ahead in real time: one segment is far more on any
     * real clock, but on a clock that runs thousands of times faster (a simulated month) a segment
     * passes in microseconds, less than the decision (and a cut it may wait for) takes.
     */
    static final Duration MIN_REAL_LEAD = Duration.ofMillis(500);

    private static final long PRUNE_EVERY_NANOS = Duration.ofMinutes(10).toNanos();
    /** How often a follower tries to take the channel's writer lock. */
    static final Duration TAKEOVER_EVERY = Duration.ofSeconds(2);

    private static final long TAKEOVER_EVERY_NANOS = TAKEOVER_EVERY.toNanos();
    /**
     * Airings older than this leave the database (those in memory stay): a day, so that the guide's
     * past six hours, and a recent clip of every daily programme, are always there to read.
     */
    static final long HISTORY_TICKS = 24 * 3600L * 90_000;

    private volatile PlayoutChannel config;
    private final HouseFormat format;
    private final OnAir.Geometry geometry;
    private final Database db;
    private final ClipCatalog catalog;
    private final Ffmpeg ffmpeg;
    private final Path channelDir;
    private final Path dataDir;
    private final InstantSource wall;
    private final MonotonicClock monotonic;
    private final SegmentCache cache;
    private final Cuts cuts;
    private final HlsFiles files;
    private final WriterLock writerLock;
    private final int ticksPerFrame;
    private final long gopTicks;
    private final long leadTicks;

    // written only by the channel thread (or by open(), before that thread exists)
    private Timeline timeline;
    private volatile Programming programming;
    private volatile boolean writer;
    private long lastPruneNanos;
    /** The writer's decisions: present while this process is the channel's writer. */
    private volatile Scheduler scheduler;

    private long lastTakeoverNanos;
    private long version;

    // shared with requests
    private volatile ChannelClock clock;
    private volatile OnAir onAir;
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private final Condition published = wakeLock.newCondition();
    private boolean wakeWanted;
    /** A request waited {@link #REQUEST_WAIT} in vain; cleared when a snapshot reaches past now again. */
    private volatile boolean lagging;
    /**
     * Cuts requests found broken or missing, by master: the cut they read (null when there was
     * none to read). At most one entry per airing in the snapshot.
     */
    private final Map<Path, Optional<Segmenter.Clip>> brokenCuts = new ConcurrentHashMap<>();

    private final Scheduler.Tally tally = new Scheduler.Tally();
    private final Signal precutter = new Signal();

    /** A wake-up flag a thread sleeps on. Thread-safe. */
    private static final class Signal {
        private boolean set;

        synchronized void wakeUp() {
            set = true;
            notifyAll();
        }

        synchronized void awaitWork(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!set) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            set = false;
        }
    }

    ChannelPlayout(
            PlayoutChannel config,
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            InstantSource wall,
            MonotonicClock monotonic,
            SegmentCache cache,
            MediaStore media) {
        this.config = config;
        this.format = config.format();
        this.geometry = new OnAir.Geometry(format.fps(), format.gopFrames(), format.segmentSeconds());
        this.db = db;
        this.catalog = catalog;
        this.ffmpeg = ffmpeg;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.channelDir = this.dataDir.resolve("channels").resolve(config.id());
        this.wall = wall;
        this.monotonic = monotonic;
        this.cache = cache;
        this.cuts = new Cuts(ffmpeg, format, monotonic, media, this.dataDir);
        this.files = new HlsFiles(() -> this.config, cuts, cache, db, this.dataDir, new HlsFiles.Decisions() {
            @Override
            public OnAir.At now() throws InterruptedException {
                return ChannelPlayout.this.now();
            }

            @Override
            public void broken(Airing airing, Segmenter.Clip read, String why) {
                reportBroken(airing, read, why);
            }
        });
        this.writerLock = WriterLock.of(db, config.id(), channelDir);
        this.ticksPerFrame = geometry.ticksPerFrame();
        this.gopTicks = geometry.gopTicks();
        // among several nodes, far enough ahead that a follower taking over finds the next airings decided
        Duration realLead = writerLock.handover().compareTo(MIN_REAL_LEAD) > 0 ? writerLock.handover() : MIN_REAL_LEAD;
        this.leadTicks = Math.max(gopTicks, monotonic.nanosDuring(realLead.toNanos()) / 100_000 * 9);
    }

    PlayoutChannel config() {
        return config;
    }

    /**
     * Takes a changed configuration of the same channel and house format (title, review policy,
     * lookahead; push targets are the playout's business). Thread-safe.
     */
    void reconfigure(PlayoutChannel changed) {
        if (!changed.id().equals(config.id()) || !changed.format().equals(config.format())) {
            throw new IllegalArgumentException("channel " + config.id() + ": a new id or format needs a new playout");
        }
        config = changed;
        Programming p = programming;
        if (p != null) {
            p.holdForReview(changed.holdForReview());
        }
        wakeUp();
    }

    /** Airings this process decided for the channel since it started, by kind. */
    Playout.AiringCounts airingCounts() {
        return tally.counts();
    }

    /** True when this process decides the channel's airings (false: it follows another's). */
    boolean writer() {
        return writer;
    }

    // ------------------------------------------------------------------ the channel thread

    /**
     * Becomes the channel's writer if no other process is, else its follower; loads the timeline
     * and publishes a first snapshot (the writer also decides the first airings). Called once,
     * before the channel thread starts.
     */
    void open() throws SQLException, IOException, InterruptedException {
        if (writerLock.tryAcquire()) {
            becomeWriter();
        } else {
            log.info("channel {}: another LatentTV process airs it; this one follows its timeline", config.id());
            follow();
        }
    }

    private void becomeWriter() throws SQLException, IOException, InterruptedException {
        // the timeline and the programming are written where the lock is held (its own session, on PostgreSQL)
        Database writes = writerLock.database();
        timeline = Timeline.open(writes, config.id(), wall.millis(), dataDir);
        programming = Programming.open(writes, catalog, config.id());
        writer = true;
        programming.holdForReview(config.holdForReview());
        clock = new ChannelClock(wall, monotonic, timeline.epochMs());
        Optional<Airing> last = timeline.last();
        if (last.isPresent() && clock.ticks() < last.get().startTicks() - leadTicks) {
            // the timeline reached further than the wall clock says now: it went back while we were down
            long from = last.get().startTicks();
            OptionalLong epoch = clock.atLeast(from);
            if (epoch.isPresent()) {
                log.warn(
                        "channel {}: the wall clock is behind the channel's timeline; continuing from where it was",
                        config.id());
                timeline.saveEpoch(epoch.getAsLong());
            }
        }
        programming.takeInArrivals();
        scheduler = new Scheduler(
                () -> config,
                ffmpeg,
                channelDir,
                timeline,
                programming,
                clock,
                cuts,
                cache,
                brokenCuts,
                tally,
                leadTicks);
        scheduler.schedule();
        publish();
    }

    private void follow() throws SQLException, IOException, InterruptedException {
        writer = false;
        scheduler = null;
        programming = null;
        timeline = Timeline.follow(db, config.id(), dataDir).orElse(null);
        long epoch = timeline == null ? wall.millis() : timeline.epochMs();
        if (clock == null) {
            clock = new ChannelClock(wall, monotonic, epoch);
        } else {
            clock.adoptEpoch(epoch);
        }
        publish();
    }

    /**
     * One round of the channel thread. The writer: notices a wall-clock step, takes in new clips,
     * repairs broken cuts, decides airings up to the lead, pre-cuts the next fresh clip, prunes;
     * then publishes what changed. A follower: reads the writer's new airings, and takes over when
     * the writer's lock frees.
     */
    void step() throws SQLException, IOException, InterruptedException {
        if (writer && !writerLock.held()) {
            log.warn(
                    "channel {}: this process no longer holds the channel's writer lock (its database session"
                            + " ended); it follows the timeline until it can take the lock again",
                    config.id());
            writerLock.close();
            follow();
            return;
        }
        if (!writer) {
            stepAsFollower();
            return;
        }
        boolean changed = false;
        OptionalLong epoch = clock.resync();
        if (epoch.isPresent()) {
            log.warn(
                    "channel {}: the wall clock stepped; the channel's time goes on without a break (epoch now {})",
                    config.id(),
                    epoch.getAsLong());
            timeline.saveEpoch(epoch.getAsLong());
            changed = true;
        }
        changed |= programming.takeInArrivals() > 0;
        changed |= scheduler.enforceOffAir();
        changed |= scheduler.repairBrokenCuts();
        changed |= scheduler.schedule();
        precutter.wakeUp();
        long now = monotonic.nanos();
        if (now - lastPruneNanos >= PRUNE_EVERY_NANOS) {
            timeline.prune(clock.ticks() - HISTORY_TICKS, ticksPerFrame);
            lastPruneNanos = now;
        }
        if (changed || onAir == null) {
            publish();
        }
    }

    private void stepAsFollower() throws SQLException, IOException, InterruptedException {
        long now = monotonic.nanos();
        if (now - lastTakeoverNanos >= TAKEOVER_EVERY_NANOS) {
            lastTakeoverNanos = now;
            if (writerLock.tryAcquire()) {
                log.warn("channel {}: the process that aired it is gone; this one takes over", config.id());
                becomeWriter();
                return;
            }
        }
        if (timeline == null) {
            timeline = Timeline.follow(db, config.id(), dataDir).orElse(null);
            if (timeline == null) {
                return;
            }
            clock.adoptEpoch(timeline.epochMs());
            publish();
            return;
        }
        if (timeline.refresh()) {
            clock.adoptEpoch(timeline.epochMs());
            publish();
        }
    }

    /**
     * A follower's part of the precut thread: fetches the cuts of the airings decided ahead from the
     * shared store, so its viewers' first requests for them are served from its own disk.
     */
    private void prefetchAhead() {
        OnAir snapshot = onAir;
        if (snapshot == null) {
            return;
        }
        long nowTicks = clock.ticks();
        for (Airing a : snapshot.airings()) {
            if (a.endTicks(ticksPerFrame) > nowTicks) {
                try {
                    cuts.prefetch(a.master());
                } catch (IOException e) {
                    log.debug("channel {}: prefetching {}: {}", config.id(), a.master(), e.toString());
                    return; // the store is away: serving goes on from what this node has
                }
            }
        }
    }

    /** Runs the precut thread until {@code stopped}: the writer's {@link Scheduler#precutNextFresh()}, a follower's {@link #prefetchAhead()}. */
    void runPrecut(java.util.function.BooleanSupplier stopped) {
        while (!stopped.getAsBoolean()) {
            try {
                precutter.awaitWork(writer ? Duration.ofMinutes(1) : Duration.ofSeconds(1));
                Scheduler deciding = scheduler;
                if (deciding == null) {
                    prefetchAhead();
                    continue;
                }
                deciding.precutNextFresh();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("channel {}: pre-cutting failed: {}", config.id(), e.toString());
            }
        }
    }

    /** Publishes the timeline as a new snapshot and wakes requests waiting for one. */
    private void publish() throws IOException, InterruptedException, SQLException {
        List<Airing> airings = timeline == null ? List.of() : timeline.recent();
        long epoch = timeline == null ? clock.epochMs() : timeline.epochMs();
        Optional<NowPlaying> next = Optional.empty();
        Scheduler deciding = scheduler;
        if (deciding != null && !airings.isEmpty()) {
            next = deciding.preview(airings.getLast().endTicks(ticksPerFrame), epoch);
        }
        onAir = new OnAir(++version, epoch, airings, next, geometry);
        if (lagging && onAir.endTicks() > clock.ticks()) {
            lagging = false;
        }
        wakeLock.lock();
        try {
            published.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * How long the channel thread may sleep: until the next decision or airing start (writer), a
     * short poll (follower), and never past {@code max}.
     */
    Duration idle(Duration max) {
        if (!writer) {
            return Duration.ofMillis(Math.min(max.toMillis(), Math.max(100, format.segmentSeconds() * 250L)));
        }
        OnAir snapshot = onAir;
        long nowTicks = clock.ticks();
        if (snapshot == null || snapshot.airings().isEmpty()) {
            return Duration.ZERO;
        }
        long due = snapshot.endTicks() - leadTicks;
        for (Airing a : snapshot.airings()) {
            if (a.startTicks() > nowTicks) {
                due = Math.min(due, a.startTicks());
                break;
            }
        }
        // 1 ms past the due tick: ticks are counted from whole milliseconds
        Duration until = ticksToDuration(due - nowTicks).plusMillis(1);
        return until.compareTo(max) > 0 ? max : until;
    }

    /**
     * Sleeps up to {@code timeout} of the channel's clock but at most {@code realCap} of real time,
     * or less when woken (a new clip, a request that found the schedule behind, a broken cut).
     */
    void awaitWork(Duration timeout, Duration realCap) throws InterruptedException {
        wakeLock.lock();
        try {
            long nanos = Math.min(monotonic.realNanos(timeout.toNanos()), realCap.toNanos());
            while (!wakeWanted && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            wakeWanted = false;
        } finally {
            wakeLock.unlock();
        }
    }

    /** Wakes the channel thread: something changed that it should act on. */
    void wakeUp() {
        wakeLock.lock();
        try {
            wakeWanted = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    void release() {
        writerLock.close();
    }

    // ------------------------------------------------------------------ requests (any thread)

    /**
     * The latest snapshot; when it ends before {@code nowTicks} (the scheduler is behind), wakes
     * the channel thread and waits for a newer one, at most {@link #REQUEST_WAIT}.
     */
    private OnAir snapshot(long nowTicks) throws InterruptedException {
        OnAir snapshot = onAir;
        if (clock.stepped()) {
            wakeUp(); // the wall clock stepped: the channel thread moves the epoch
        }
        if (snapshot != null && snapshot.endTicks() > nowTicks) {
            return snapshot;
        }
        if (lagging && snapshot != null) {
            wakeUp();
            return snapshot; // a request already waited in vain: do not make every viewer wait
        }
        long deadline = System.nanoTime() + REQUEST_WAIT.toNanos();
        wakeLock.lock();
        try {
            // wait for a snapshot that reaches now, not merely a newer one: a round that began before
            // the request may publish without the decision the request needs
            while (onAir == null || onAir.endTicks() <= nowTicks) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    lagging = true;
                    log.warn(
                            "channel {}: the scheduler is behind; requests are answered from its last decision",
                            config.id());
                    break;
                }
                wakeWanted = true;
                wake.signalAll();
                published.awaitNanos(left);
            }
        } finally {
            wakeLock.unlock();
        }
        OnAir latest = onAir;
        if (latest == null) {
            throw new IllegalStateException("channel " + config.id() + " has no timeline yet");
        }
        return latest;
    }

    private OnAir.At now() throws InterruptedException {
        OnAir snapshot = snapshot(clock.ticks());
        return new OnAir.At(snapshot, clock.ticks());
    }

    /** The live playlist (RFC 8216 sliding window) now. */
    String playlist() throws InterruptedException {
        return files.playlist();
    }

    /** See {@link HlsFiles#resolve}. */
    HlsResponse resolve(String name) throws IOException, InterruptedException, SQLException {
        return files.resolve(name);
    }

    /** See {@link HlsFiles#segment}. */
    Optional<byte[]> segment(long sequence, boolean onlyLive) throws IOException, InterruptedException, SQLException {
        return files.segment(sequence, onlyLive);
    }

    private void reportBroken(Airing airing, Segmenter.Clip read, String why) {
        if (writer && brokenCuts.putIfAbsent(airing.master(), Optional.ofNullable(read)) == null) {
            log.warn(
                    "channel {}: {} of {}; it goes to the scheduler for a fresh cut",
                    config.id(),
                    why,
                    airing.clipId().orElse("the slate"));
            wakeUp();
        }
    }

    /** Media sequence of the segment live now. */
    long liveSequence() throws InterruptedException {
        OnAir.At at = now();
        List<OnAir.LiveSegment> edge = at.snapshot().liveEdge(at.now(), 1);
        if (edge.isEmpty()) {
            throw new IllegalStateException("channel " + config.id() + " has nothing on air yet");
        }
        return edge.getFirst().sequence();
    }

    /** How long until segment {@code sequence} starts (zero or negative: it has), if it is decided. */
    Optional<Duration> untilSegment(long sequence) throws InterruptedException {
        OnAir.At at = now();
        return at.snapshot()
                .holding(sequence)
                .map(a -> ticksToDuration(a.startTicks() + (sequence - a.firstSequence()) * gopTicks - at.now()));
    }

    /** How long segment {@code sequence} lasts: a segment's frames (a clip's last may be short), else a full one. */
    Duration segmentLength(long sequence) {
        OnAir snapshot = onAir;
        Optional<Airing> airing = snapshot == null ? Optional.empty() : snapshot.holding(sequence);
        int frames = airing.map(a -> Math.min(
                        format.gopFrames(), a.frames() - (int) (sequence - a.firstSequence()) * format.gopFrames()))
                .orElse(format.gopFrames());
        return ticksToDuration((long) Math.max(1, frames) * ticksPerFrame);
    }

    /** The airing on air now. */
    Optional<NowPlaying> nowPlaying() throws InterruptedException {
        OnAir.At at = now();
        return at.snapshot()
                .current(at.now())
                .map(a -> describe(a, at.snapshot().epochMs()));
    }

    /** The airing after the current one: decided already, or the scheduler's choice as of its last round. */
    Optional<NowPlaying> upNext() throws InterruptedException {
        OnAir.At at = now();
        OnAir snapshot = at.snapshot();
        Optional<Airing> current = snapshot.current(at.now());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Optional<Airing> next = snapshot.after(current.get());
        return next.isPresent() ? next.map(a -> describe(a, snapshot.epochMs())) : snapshot.upNext();
    }

    /** Identifies the airing on air now, for change detection; -1 when none. */
    long currentAiringSequence() {
        OnAir snapshot = onAir;
        if (snapshot == null) {
            return -1;
        }
        return snapshot.current(clock.ticks()).map(Airing::firstSequence).orElse(-1L);
    }

    /** The airing on air now as the last snapshot has it, without waiting (for the channel thread itself). */
    Optional<NowPlaying> nowPlayingAsPublished() {
        OnAir snapshot = onAir;
        if (snapshot == null) {
            return Optional.empty();
        }
        return snapshot.current(clock.ticks()).map(a -> describe(a, snapshot.epochMs()));
    }

    private NowPlaying describe(Airing a, long epochMs) {
        return new NowPlaying(
                config.id(),
                a.clipId(),
                a.title(),
                a.prompt(),
                PlaylistWriter.instant(epochMs, a.startTicks()),
                PlaylistWriter.instant(epochMs, a.endTicks(ticksPerFrame)));
    }

    /**
     * Seconds of fresh clips not aired yet: mastered clips never scheduled, plus what remains of
     * scheduled first airings. The lookahead asks for new shots while this is below the channel's
     * lookahead. Thread-safe; a few indexed reads.
     */
    double unairedFreshSeconds() throws SQLException {
        Programming p = programming;
        double seconds = p == null ? 0 : (double) p.unairedFreshFrames() / format.fps();
        OnAir snapshot = onAir;
        if (snapshot != null) {
            long nowTicks = clock.ticks();
            for (Airing a : snapshot.airings()) {
                long end = a.endTicks(ticksPerFrame);
                if (a.fresh() && end > nowTicks) {
                    seconds += (end - Math.max(a.startTicks(), nowTicks)) / 90_000.0;
                }
            }
        }
        return seconds;
    }

    // ------------------------------------------------------------------ an operator's changes (any thread)

    /** The channel's programming as any process may change it (the writer's own, or one made for the call). */
    private Programming programmingForChanges() throws SQLException {
        Programming p = programming;
        return p != null ? p : Programming.open(db, catalog, config.id());
    }

    /** See {@link Playout#takeOffAir}. */
    boolean takeOffAir(String clipId, String reason) throws SQLException, InterruptedException {
        OnAir before = onAir;
        boolean known = programmingForChanges().takeOffAir(clipId, reason);
        if (known && writer) {
            awaitRound(before); // the next refresh of any viewer already goes past it
        } else {
            wakeUp();
        }
        return known;
    }

    /** Wakes the channel thread and waits (at most {@link #REQUEST_WAIT}) for a round to publish after {@code seen}. */
    private void awaitRound(OnAir seen) throws InterruptedException {
        long deadline = System.nanoTime() + REQUEST_WAIT.toNanos();
        wakeLock.lock();
        try {
            wakeWanted = true;
            wake.signalAll();
            while (onAir == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                published.awaitNanos(left);
            }
        } finally {
            wakeLock.unlock();
        }
    }

    /** See {@link Playout#approve}. */
    boolean approve(String clipId) throws SQLException {
        boolean approved = programmingForChanges().approve(clipId);
        wakeUp();
        return approved;
    }

    /** See {@link Playout#airNext}. */
    boolean airNext(String clipId) throws SQLException {
        boolean done = programmingForChanges().prioritize(clipId);
        wakeUp();
        return done;
    }

    /** See {@link Playout#programmingState}. */
    Optional<String> programmingState(String clipId) throws SQLException {
        return programmingForChanges().state(clipId);
    }

    /** When {@code clipId} starts on the decided timeline, if it is decided. */
    Optional<java.time.Instant> scheduledStart(String clipId) {
        OnAir snapshot = onAir;
        if (snapshot == null) {
            return Optional.empty();
        }
        long nowTicks = clock.ticks();
        return snapshot.airings().stream()
                .filter(a -> a.clipId().filter(clipId::equals).isPresent() && a.endTicks(ticksPerFrame) > nowTicks)
                .findFirst()
                .map(a -> PlaylistWriter.instant(snapshot.epochMs(), a.startTicks()));
    }

    /** Where the decided timeline ends: the earliest a clip not yet decided can start. */
    Optional<java.time.Instant> decidedUntil() {
        OnAir snapshot = onAir;
        if (snapshot == null || snapshot.airings().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PlaylistWriter.instant(snapshot.epochMs(), snapshot.endTicks()));
    }

    private static Duration ticksToDuration(long ticks) {
        return Duration.ofNanos(Math.multiplyExact(ticks, 100_000L) / 9L);
    }
}
