package tv.latent.playout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;
import tv.latent.media.Captions;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.media.TsPackets;
import tv.latent.storage.MediaStore;
import tv.latent.time.MonotonicClock;

/**
 * One channel on air: a scheduler that decides airings ahead of the live edge, and the live HLS
 * playlist, segments and now-playing read from what it decided.
 *
 * <p>Which segment is live at a tick is a pure function of the persisted timeline, so a restart
 * resumes where the clock says and media sequence numbers only grow. Airings are decided shortly
 * before they start ({@link #leadTicks}), so a clip mastered while the channel is live airs at
 * the next decision.
 *
 * <p>Two roles: the <em>writer</em> (one per channel, holding the channel's {@link WriterLock})
 * decides airings and persists them; a <em>follower</em> (a second origin on the same data, or
 * another node on the same PostgreSQL database and bucket) reads the writer's timeline and serves
 * byte-identical playlists, and becomes the writer when the lock frees. A writer that finds it no
 * longer holds the lock (its database session ended) goes back to following before it decides
 * anything more.
 *
 * <p>Thread-safety: {@link #step()} and everything it calls (timeline, programming, cuts made
 * with ffmpeg) run only on the channel's thread. Requests run on any thread and only read the
 * last published {@link OnAir} snapshot (a volatile reference), the cut indexes and the segment
 * files; they never decide, cut or write. When a request finds the snapshot ends before now (the
 * scheduler is behind, which in normal running it never is), it wakes the channel thread and
 * waits for it at most {@link #REQUEST_WAIT}.
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

    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,18}\\.ts");
    private static final Pattern CAPTIONS_NAME = Pattern.compile("[0-9]{1,18}\\.vtt");
    private static final String PLAYLIST_NAME = "live.m3u8";
    private static final String MASTER_NAME = "master.m3u8";
    private static final String SUBTITLES_NAME = "subs.m3u8";
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
    private final PlaylistWriter playlists;
    private final PlaylistWriter subtitles;
    private final WriterLock writerLock;
    private final int ticksPerFrame;
    private final long gopTicks;
    private final long leadTicks;

    // written only by the channel thread (or by open(), before that thread exists)
    private Timeline timeline;
    private volatile Programming programming;
    private volatile boolean writer;
    private long lastPruneNanos;
    private boolean breakAfterCut;
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

    private final AtomicLong freshAirings = new AtomicLong();
    private final AtomicLong rerunAirings = new AtomicLong();
    private final AtomicLong slateAirings = new AtomicLong();
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
        this.playlists = new PlaylistWriter(format.segmentSeconds(), format.fps());
        this.subtitles = new PlaylistWriter(format.segmentSeconds(), format.fps(), "vtt");
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
        return new Playout.AiringCounts(freshAirings.get(), rerunAirings.get(), slateAirings.get());
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
        schedule();
        publish();
    }

    private void follow() throws SQLException, IOException, InterruptedException {
        writer = false;
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
        changed |= enforceOffAir();
        changed |= repairBrokenCuts();
        changed |= schedule();
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
     * Decides airings until the timeline reaches {@link #leadTicks} past now: late enough that a
     * clip mastered meanwhile still gets its turn, early enough that the next segment is always
     * known (among several nodes: known for longer than a writer's handover takes). When the
     * timeline ended more than a segment ago (the app was down), the next airing starts now, with
     * a discontinuity.
     *
     * @return true when an airing was added
     */
    private boolean schedule() throws IOException, InterruptedException, SQLException {
        boolean added = false;
        long nowTicks = clock.ticks();
        while (true) {
            Optional<Airing> last = timeline.last();
            long start;
            boolean jump;
            if (last.isEmpty()) {
                // a new channel goes on air at its epoch, tick 0
                start = nowTicks < gopTicks ? 0 : nowTicks;
                jump = false;
            } else {
                long end = last.get().endTicks(ticksPerFrame);
                if (end - nowTicks >= leadTicks) {
                    return added;
                }
                jump = nowTicks - end > gopTicks;
                start = jump ? nowTicks : end;
            }
            append(last, start, jump);
            added = true;
        }
    }

    private void append(Optional<Airing> previous, long start, boolean jump)
            throws IOException, InterruptedException, SQLException {
        Choice choice = choose();
        Map<Integer, Integer> counters = new HashMap<>();
        long sequence = 0;
        long discontinuities = 0;
        if (breakAfterCut) {
            jump = true; // the previous airing was cut short mid-clip: its audio does not end on the join
            breakAfterCut = false;
        }
        if (previous.isPresent()) {
            Airing p = previous.get();
            counters.putAll(p.counters());
            Segmenter.Clip before = cuts.ready(p.master());
            if (before == null) {
                before = cuts.cut(p.master(), p.frames());
            }
            for (Segmenter.Segment s : before.segments()
                    .subList(0, Math.min(p.segments(), before.segments().size()))) {
                s.payloadPackets().forEach((pid, n) -> counters.merge(pid, n, (a, b) -> (a + b) & 0xF));
            }
            sequence = p.endSequence();
            discontinuities = p.discontinuitySequence() + (jump ? 1 : 0);
        }
        Optional<String> clipId = choice.clip().map(AirableClip::clipId);
        Airing airing = new Airing(
                sequence,
                start,
                choice.cut().frames(),
                choice.cut().segments().size(),
                jump && previous.isPresent(),
                discontinuities,
                clipId,
                choice.master(),
                choice.title(),
                choice.prompt(),
                choice.fresh(),
                counters);
        timeline.append(airing, c -> programming.recordAiring(c, airing));
        (clipId.isEmpty() ? slateAirings : choice.fresh() ? freshAirings : rerunAirings).incrementAndGet();
        log.debug(
                "channel {}: airing {} from tick {} (sequence {})",
                config.id(),
                clipId.orElse("slate"),
                start,
                sequence);
    }

    private record Choice(
            Optional<AirableClip> clip, Path master, Segmenter.Clip cut, String title, String prompt, boolean fresh) {}

    /**
     * The next airing: the oldest fresh clip; else the least recently aired clip; else the slate.
     * A clip whose cut fails is passed over (and tried again after a backoff, then given up).
     */
    private Choice choose() throws IOException, InterruptedException, SQLException {
        Set<String> passOver = new HashSet<>();
        for (boolean fresh : new boolean[] {true, false}) {
            while (true) {
                Optional<AirableClip> pick = fresh ? programming.nextFresh(passOver) : programming.nextRerun(passOver);
                if (pick.isEmpty()) {
                    break;
                }
                AirableClip clip = pick.get();
                Optional<Segmenter.Clip> cut = cutOrPassOver(clip);
                if (cut.isPresent() && cuts.share(cut.get())) {
                    return new Choice(pick, clip.master(), cut.get(), clip.title(), clip.prompt(), fresh);
                }
                // a cut the shared store cannot take now is passed over, not failed: other nodes could not serve it
                passOver.add(clip.clipId());
            }
        }
        Path slate = Slate.make(ffmpeg, channelDir, config.title(), format);
        Segmenter.Clip slateCut = cuts.cut(slate, format.joinUnitFrames());
        cuts.share(slateCut); // the channel never goes dark: the slate airs even while the store is away
        return new Choice(Optional.empty(), slate, slateCut, config.title(), Slate.LINE, false);
    }

    /** The clip's cut, or empty when it cannot be cut now (failing: backoff; failed for good: skipped). */
    private Optional<Segmenter.Clip> cutOrPassOver(AirableClip clip) throws InterruptedException, SQLException {
        if (!cuts.mayTry(clip.master())) {
            return Optional.empty();
        }
        try {
            Segmenter.Clip cut = cuts.cut(clip.master(), clip.frames());
            cuts.succeeded(clip.master());
            return Optional.of(cut);
        } catch (IOException | IllegalArgumentException e) {
            cutFailed(clip, e.getMessage());
            return Optional.empty();
        }
    }

    private void cutFailed(AirableClip clip, String reason) throws SQLException {
        Cuts.Failure failure = cuts.failed(clip.master(), reason);
        if (failure.count() >= Cuts.MAX_FAILURES) {
            log.warn(
                    "channel {}: clip {} cannot air and is skipped after {} failed cuts: {}",
                    config.id(),
                    clip.clipId(),
                    failure.count(),
                    reason);
            programming.skip(clip.clipId(), reason);
        } else {
            log.warn(
                    "channel {}: clip {} could not be cut (try {} of {}), trying again later: {}",
                    config.id(),
                    clip.clipId(),
                    failure.count(),
                    Cuts.MAX_FAILURES,
                    reason);
        }
    }

    /**
     * Cuts the oldest fresh clip ahead of its airing, on the precut thread, so that neither the
     * decision that airs it nor the decisions before it wait for ffmpeg. A failure is only
     * recorded (the decision passes the clip over, and gives it up in time).
     */
    private void precutNextFresh() throws InterruptedException, SQLException {
        Programming p = programming;
        if (p == null) {
            return;
        }
        Optional<AirableClip> next = p.nextFresh(Set.of());
        if (next.isEmpty() || !cuts.mayTry(next.get().master())) {
            return;
        }
        try {
            Segmenter.Clip cut = cuts.ready(next.get().master());
            if (cut == null) {
                cut = cuts.cut(next.get().master(), next.get().frames());
            }
            cuts.share(cut);
        } catch (IOException | IllegalArgumentException e) {
            cuts.failed(next.get().master(), e.getMessage());
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

    /** Runs the precut thread until {@code stopped}; see {@link #precutNextFresh()} and {@link #prefetchAhead()}. */
    void runPrecut(java.util.function.BooleanSupplier stopped) {
        while (!stopped.getAsBoolean()) {
            try {
                precutter.awaitWork(writer ? Duration.ofMinutes(1) : Duration.ofSeconds(1));
                if (!writer) {
                    prefetchAhead();
                    continue;
                }
                precutNextFresh();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("channel {}: pre-cutting failed: {}", config.id(), e.toString());
            }
        }
    }

    /**
     * Takes clips an operator took off air (in this process or another) out of the decided
     * timeline: the airing on air is cut short after the segment playing now, so the live
     * playlist moves past it at its next refresh (the next airing follows with a discontinuity);
     * airings of it not yet started are dropped with everything decided after them, and decided
     * again. One indexed read per round, for the two or three airings not yet over.
     *
     * @return true when the timeline changed
     */
    private boolean enforceOffAir() throws SQLException {
        long nowTicks = clock.ticks();
        List<Airing> ahead = timeline.recent().stream()
                .filter(a -> a.clipId().isPresent() && a.endTicks(ticksPerFrame) > nowTicks)
                .toList();
        if (ahead.isEmpty()) {
            return false;
        }
        Map<String, String> states = programming.states(
                ahead.stream().map(a -> a.clipId().get()).distinct().toList());
        for (Airing a : ahead) {
            if (!"OFF_AIR".equals(states.get(a.clipId().get()))) {
                continue;
            }
            if (a.startTicks() <= nowTicks) {
                int playing = (int) ((nowTicks - a.startTicks()) / gopTicks);
                int kept = Math.min(a.segments(), playing + 1);
                int frames = Math.min(a.frames(), kept * format.gopFrames());
                timeline.truncate(a, kept, frames, programming::unaired);
                breakAfterCut = kept < a.segments();
                cache.evictFrom(config.id(), a.firstSequence() + kept);
                log.info(
                        "channel {}: clip {} taken off air; it stops after segment {} (sequence {})",
                        config.id(),
                        a.clipId().get(),
                        kept,
                        a.firstSequence() + kept - 1);
            } else {
                timeline.dropFrom(a, programming::unaired);
                cache.evictFrom(config.id(), a.firstSequence());
                log.info(
                        "channel {}: clip {} taken off air before it started",
                        config.id(),
                        a.clipId().get());
            }
            return true;
        }
        return false;
    }

    /**
     * Cuts that requests found broken: removed and cut again once; broken a second time, the clip
     * is skipped. A cut found missing is simply made again. A report about a cut that has been
     * replaced since (requests that read the old one while it was being repaired) is dropped.
     */
    private boolean repairBrokenCuts() throws InterruptedException, SQLException {
        if (brokenCuts.isEmpty()) {
            return false;
        }
        Map<Path, Optional<Segmenter.Clip>> reports = Map.copyOf(brokenCuts);
        reports.keySet().forEach(brokenCuts::remove);
        for (var report : reports.entrySet()) {
            Path master = report.getKey();
            Optional<Airing> airing = timeline.recent().stream()
                    .filter(a -> a.master().equals(master))
                    .reduce((a, b) -> b);
            if (airing.isEmpty()) {
                continue;
            }
            Optional<String> clipId = airing.get().clipId();
            Segmenter.Clip current;
            try {
                current = cuts.ready(master);
            } catch (IOException e) {
                current = null; // an unreadable index: treat the cut as broken
            }
            if (report.getValue().isEmpty()) {
                if (current == null) {
                    recut(master, airing.get(), clipId, "its cut was missing");
                }
                continue;
            }
            if (current != report.getValue().get()) {
                continue; // already cut again since the request read it
            }
            Cuts.Failure failure = cuts.quarantine(master, "a segment on disk is broken");
            if (failure.count() > 1 && clipId.isPresent()) {
                log.warn(
                        "channel {}: clip {} was broken on disk again after a fresh cut; it no longer airs",
                        config.id(),
                        clipId.get());
                programming.skip(clipId.get(), "its segments broke on disk twice");
                continue;
            }
            recut(master, airing.get(), clipId, "a broken segment was found");
        }
        return true;
    }

    private void recut(Path master, Airing airing, Optional<String> clipId, String why)
            throws InterruptedException, SQLException {
        try {
            cuts.cut(master, airing.frames());
            log.warn("channel {}: {} of {}; the clip was cut again", config.id(), why, clipId.orElse("the slate"));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("channel {}: cutting {} again failed: {}", config.id(), master, e.getMessage());
            if (clipId.isPresent()) {
                programming.skip(clipId.get(), "cutting it again failed: " + e.getMessage());
            }
        }
    }

    /** Publishes the timeline as a new snapshot and wakes requests waiting for one. */
    private void publish() throws IOException, InterruptedException, SQLException {
        List<Airing> airings = timeline == null ? List.of() : timeline.recent();
        long epoch = timeline == null ? clock.epochMs() : timeline.epochMs();
        Optional<NowPlaying> next = Optional.empty();
        if (writer && !airings.isEmpty()) {
            next = preview(airings.getLast().endTicks(ticksPerFrame), epoch);
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

    /** What the scheduler would air from {@code start} as things are: read only, nothing cut or written. */
    private Optional<NowPlaying> preview(long start, long epoch) throws SQLException {
        Set<String> passOver = new HashSet<>();
        Optional<AirableClip> pick = Optional.empty();
        for (boolean fresh : new boolean[] {true, false}) {
            while (pick.isEmpty()) {
                Optional<AirableClip> candidate =
                        fresh ? programming.nextFresh(passOver) : programming.nextRerun(passOver);
                if (candidate.isEmpty()) {
                    break;
                }
                if (cuts.mayTry(candidate.get().master())) {
                    pick = candidate;
                } else {
                    passOver.add(candidate.get().clipId());
                }
            }
        }
        int frames = pick.map(AirableClip::frames).orElse(format.joinUnitFrames());
        return Optional.of(new NowPlaying(
                config.id(),
                pick.map(AirableClip::clipId),
                pick.map(AirableClip::title).orElse(config.title()),
                pick.map(AirableClip::prompt).orElse(Slate.LINE),
                PlaylistWriter.instant(epoch, start),
                PlaylistWriter.instant(epoch, start + (long) frames * ticksPerFrame)));
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

    /** A snapshot and the tick it is read at (taken after any wait for the scheduler). */
    private record At(OnAir snapshot, long now) {}

    private At now() throws InterruptedException {
        OnAir snapshot = snapshot(clock.ticks());
        return new At(snapshot, clock.ticks());
    }

    /** The live playlist (RFC 8216 sliding window) now. */
    String playlist() throws InterruptedException {
        At at = now();
        return playlists.playlist(at.snapshot(), at.now());
    }

    /**
     * Serves {@code live.m3u8}, a live segment named {@code <sequence>.ts}, the master playlist
     * {@code master.m3u8} and, on a channel with captions, the subtitles playlist {@code subs.m3u8}
     * and its WebVTT segments {@code <sequence>.vtt}; anything else is not found.
     */
    HlsResponse resolve(String name) throws IOException, InterruptedException, SQLException {
        String playlistCache = "public, max-age=" + Math.max(1, format.segmentSeconds() / 2);
        if (PLAYLIST_NAME.equals(name)) {
            return new HlsResponse.Found(
                    playlist().getBytes(StandardCharsets.UTF_8), "application/vnd.apple.mpegurl", playlistCache);
        }
        if (MASTER_NAME.equals(name)) {
            return new HlsResponse.Found(
                    PlaylistWriter.master(config).getBytes(StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl",
                    "public, max-age=60");
        }
        if (config.captions() && SUBTITLES_NAME.equals(name)) {
            At at = now();
            return new HlsResponse.Found(
                    subtitles.playlist(at.snapshot(), at.now()).getBytes(StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl",
                    playlistCache);
        }
        if (config.captions() && name != null && CAPTIONS_NAME.matcher(name).matches()) {
            long sequence = Long.parseLong(name.substring(0, name.length() - 4));
            return captions(sequence)
                    .<HlsResponse>map(text -> new HlsResponse.Found(
                            text.getBytes(StandardCharsets.UTF_8),
                            "text/vtt; charset=utf-8",
                            "public, max-age=31536000, immutable"))
                    .orElseGet(() -> new HlsResponse.NotFound("captions segment " + sequence + " is not live"));
        }
        if (name == null || !SEGMENT_NAME.matcher(name).matches()) {
            return new HlsResponse.NotFound("no such file: segment names are digits followed by .ts");
        }
        long sequence = Long.parseLong(name.substring(0, name.length() - 3));
        Optional<byte[]> bytes;
        try {
            bytes = segment(sequence, true);
        } catch (NoSuchFileException e) {
            return new HlsResponse.NotFound("segment " + sequence + " is no longer available");
        }
        return bytes.<HlsResponse>map(
                        b -> new HlsResponse.Found(b, "video/mp2t", "public, max-age=31536000, immutable"))
                .orElseGet(() -> new HlsResponse.NotFound("segment " + sequence + " is not live"));
    }

    /**
     * The re-stamped bytes of segment {@code sequence}, or empty when no airing holds it (or,
     * with {@code onlyLive}, when its start has not come yet, or its cut is being repaired).
     */
    Optional<byte[]> segment(long sequence, boolean onlyLive) throws IOException, InterruptedException, SQLException {
        At at = now();
        Optional<Airing> found = holding(at.snapshot(), sequence);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Airing airing = found.get();
        int index = (int) (sequence - airing.firstSequence());
        if (onlyLive && airing.startTicks() + index * gopTicks > at.now()) {
            return Optional.empty();
        }
        SegmentCache.Key key = new SegmentCache.Key(config.id(), sequence);
        byte[] cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Segmenter.Clip clip = cuts.ready(airing.master());
        if (clip == null || index >= clip.segments().size()) {
            reportBroken(airing, null, "its cut is missing");
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = cuts.read(clip, index);
        } catch (NoSuchFileException e) {
            reportBroken(airing, clip, "segment file " + e.getFile() + " is missing");
            throw e;
        }
        if (bytes.length == 0 || bytes.length % TsPackets.PACKET != 0) {
            reportBroken(airing, clip, "segment " + index + " is " + bytes.length + " bytes, not whole TS packets");
            return Optional.empty();
        }
        Map<Integer, Integer> counters = new HashMap<>(airing.counters());
        for (Segmenter.Segment s : clip.segments().subList(0, index)) {
            s.payloadPackets().forEach((pid, n) -> counters.merge(pid, n, (a, b) -> (a + b) & 0xF));
        }
        TsPackets.restamp(bytes, BASE_PTS + airing.startTicks() - clip.zeroPts(), counters);
        cache.put(key, bytes);
        return Optional.of(bytes);
    }

    /**
     * The WebVTT segment that goes with video segment {@code sequence}: the cues of its airing's
     * clip that fall in it, cut to its time, and an {@code X-TIMESTAMP-MAP} that puts its time
     * zero on the segment's first video frame as re-stamped on the channel's clock, so players
     * place the cues on the picture across clip joins. Empty when no airing holds it or it is not
     * live yet; a segment without a cue is a valid empty file.
     */
    Optional<String> captions(long sequence) throws IOException, InterruptedException, SQLException {
        At at = now();
        Optional<Airing> found = holding(at.snapshot(), sequence);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Airing airing = found.get();
        int index = (int) (sequence - airing.firstSequence());
        long startTicks = airing.startTicks() + index * gopTicks;
        if (startTicks > at.now()) {
            return Optional.empty();
        }
        double from = (double) index * format.gopFrames() / format.fps();
        double to = (double) Math.min(airing.frames(), (index + 1) * format.gopFrames()) / format.fps();
        List<Captions.Cue> cues = new java.util.ArrayList<>();
        for (Captions.Cue cue : airing.clipId().isEmpty() ? List.<Captions.Cue>of() : cuts.captions(airing.master())) {
            double start = Math.max(cue.start(), from);
            double end = Math.min(cue.end(), to);
            if (end - start >= 0.001) {
                cues.add(new Captions.Cue(start - from, end - from, cue.text()));
            }
        }
        long mpegts = Math.floorMod(BASE_PTS + startTicks, TsPackets.WRAP);
        return Optional.of(Captions.webVtt(cues, "X-TIMESTAMP-MAP=MPEGTS:" + mpegts + ",LOCAL:00:00:00.000"));
    }

    /** The airing that holds segment {@code sequence}: on the air now, or from the timeline's history. */
    private Optional<Airing> holding(OnAir snapshot, long sequence) throws SQLException {
        Optional<Airing> found = snapshot.holding(sequence);
        return found.isEmpty() && snapshot.older(sequence) ? Timeline.find(db, config.id(), sequence, dataDir) : found;
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
        At at = now();
        List<OnAir.LiveSegment> edge = at.snapshot().liveEdge(at.now(), 1);
        if (edge.isEmpty()) {
            throw new IllegalStateException("channel " + config.id() + " has nothing on air yet");
        }
        return edge.getFirst().sequence();
    }

    /** How long until segment {@code sequence} starts (zero or negative: it has), if it is decided. */
    Optional<Duration> untilSegment(long sequence) throws InterruptedException {
        At at = now();
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
        At at = now();
        return at.snapshot()
                .current(at.now())
                .map(a -> describe(a, at.snapshot().epochMs()));
    }

    /** The airing after the current one: decided already, or the scheduler's choice as of its last round. */
    Optional<NowPlaying> upNext() throws InterruptedException {
        At at = now();
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
