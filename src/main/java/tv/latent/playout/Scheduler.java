package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;

/**
 * The writer's side of one channel: decides which clip airs next and from which tick, up to
 * {@link #leadTicks} ahead (the oldest fresh clip, else the least recently aired one, else the
 * slate), cuts clips for air ahead of their turn, takes clips an operator removed out of the
 * decided timeline, and cuts again what requests found broken. It exists while this process
 * holds the channel's {@link WriterLock}: {@link ChannelPlayout} makes one each time it becomes
 * the writer, on the timeline and programming written through the lock's session.
 *
 * <p>Thread-safety: everything runs on the channel's thread, except {@link #precutNextFresh()},
 * which runs on its precut thread and only reads the programming and makes cuts ({@link Cuts} is
 * thread-safe). Broken cuts arrive from request threads through a concurrent map.
 */
final class Scheduler {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** What an airing put on: counted for {@code /metrics}. */
    enum Kind {
        FRESH,
        RERUN,
        SLATE
    }

    /** Airings decided by kind, over every time this process was the channel's writer. Thread-safe. */
    static final class Tally {
        private final Map<Kind, AtomicLong> counts =
                Map.of(Kind.FRESH, new AtomicLong(), Kind.RERUN, new AtomicLong(), Kind.SLATE, new AtomicLong());

        void count(Kind kind) {
            counts.get(kind).incrementAndGet();
        }

        Playout.AiringCounts counts() {
            return new Playout.AiringCounts(
                    counts.get(Kind.FRESH).get(),
                    counts.get(Kind.RERUN).get(),
                    counts.get(Kind.SLATE).get());
        }
    }

    private final Supplier<PlayoutChannel> config;
    private final HouseFormat format;
    private final Ffmpeg ffmpeg;
    private final Path channelDir;
    private final Timeline timeline;
    private final Programming programming;
    private final ChannelClock clock;
    private final Cuts cuts;
    private final SegmentCache cache;
    private final Map<Path, Optional<Segmenter.Clip>> brokenCuts;
    private final Tally tally;
    private final int ticksPerFrame;
    private final long gopTicks;
    private final long leadTicks;
    /** The airing on air was cut short mid-clip: the next one starts with a discontinuity. */
    private boolean breakAfterCut;

    /**
     * @param config the channel as configured now (its title may change while it airs)
     * @param brokenCuts cuts requests found broken or missing, by master: the cut they read
     * @param leadTicks how far ahead of now the timeline is kept decided
     */
    Scheduler(
            Supplier<PlayoutChannel> config,
            Ffmpeg ffmpeg,
            Path channelDir,
            Timeline timeline,
            Programming programming,
            ChannelClock clock,
            Cuts cuts,
            SegmentCache cache,
            Map<Path, Optional<Segmenter.Clip>> brokenCuts,
            Tally tally,
            long leadTicks) {
        this.config = config;
        this.format = config.get().format();
        this.ffmpeg = ffmpeg;
        this.channelDir = channelDir;
        this.timeline = timeline;
        this.programming = programming;
        this.clock = clock;
        this.cuts = cuts;
        this.cache = cache;
        this.brokenCuts = brokenCuts;
        this.tally = tally;
        OnAir.Geometry geometry = new OnAir.Geometry(format.fps(), format.gopFrames(), format.segmentSeconds());
        this.ticksPerFrame = geometry.ticksPerFrame();
        this.gopTicks = geometry.gopTicks();
        this.leadTicks = leadTicks;
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
    boolean schedule() throws IOException, InterruptedException, SQLException {
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
        tally.count(clipId.isEmpty() ? Kind.SLATE : choice.fresh() ? Kind.FRESH : Kind.RERUN);
        log.debug(
                "channel {}: airing {} from tick {} (sequence {})",
                config.get().id(),
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
        Path slate = Slate.make(ffmpeg, channelDir, config.get().title(), format);
        Segmenter.Clip slateCut = cuts.cut(slate, format.joinUnitFrames());
        cuts.share(slateCut); // the channel never goes dark: the slate airs even while the store is away
        return new Choice(Optional.empty(), slate, slateCut, config.get().title(), Slate.LINE, false);
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
                    config.get().id(),
                    clip.clipId(),
                    failure.count(),
                    reason);
            programming.skip(clip.clipId(), reason);
        } else {
            log.warn(
                    "channel {}: clip {} could not be cut (try {} of {}), trying again later: {}",
                    config.get().id(),
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
    void precutNextFresh() throws InterruptedException, SQLException {
        Optional<AirableClip> next = programming.nextFresh(Set.of());
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
     * Takes clips an operator took off air (in this process or another) out of the decided
     * timeline: the airing on air is cut short after the segment playing now, so the live
     * playlist moves past it at its next refresh (the next airing follows with a discontinuity);
     * airings of it not yet started are dropped with everything decided after them, and decided
     * again. One indexed read per round, for the two or three airings not yet over.
     *
     * @return true when the timeline changed
     */
    boolean enforceOffAir() throws SQLException {
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
                cache.evictFrom(config.get().id(), a.firstSequence() + kept);
                log.info(
                        "channel {}: clip {} taken off air; it stops after segment {} (sequence {})",
                        config.get().id(),
                        a.clipId().get(),
                        kept,
                        a.firstSequence() + kept - 1);
            } else {
                timeline.dropFrom(a, programming::unaired);
                cache.evictFrom(config.get().id(), a.firstSequence());
                log.info(
                        "channel {}: clip {} taken off air before it started",
                        config.get().id(),
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
    boolean repairBrokenCuts() throws InterruptedException, SQLException {
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
                        config.get().id(),
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
            log.warn(
                    "channel {}: {} of {}; the clip was cut again", config.get().id(), why, clipId.orElse("the slate"));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("channel {}: cutting {} again failed: {}", config.get().id(), master, e.getMessage());
            if (clipId.isPresent()) {
                programming.skip(clipId.get(), "cutting it again failed: " + e.getMessage());
            }
        }
    }

    /** What the scheduler would air from {@code start} as things are: read only, nothing cut or written. */
    Optional<NowPlaying> preview(long start, long epoch) throws SQLException {
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
                config.get().id(),
                pick.map(AirableClip::clipId),
                pick.map(AirableClip::title).orElse(config.get().title()),
                pick.map(AirableClip::prompt).orElse(Slate.LINE),
                PlaylistWriter.instant(epoch, start),
                PlaylistWriter.instant(epoch, start + (long) frames * ticksPerFrame)));
    }
}
