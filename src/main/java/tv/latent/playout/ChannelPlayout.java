package tv.latent.playout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.media.TsPackets;

/**
 * One channel on air: its timeline, the scheduling of airings ahead of the live edge, and the
 * live HLS playlist and segments computed from the timeline.
 *
 * <p>Which segment is live at an instant is a pure function of the persisted timeline, so a
 * restart resumes where the wall clock says and media sequence numbers only grow. Airings are
 * decided shortly before they start ({@link #leadTicks}), so a clip mastered while the channel
 * is live airs at the next decision.
 *
 * <p>Thread-safe: the timeline is guarded by one lock; segment bytes are made outside it.
 */
final class ChannelPlayout {
    private static final Logger log = LoggerFactory.getLogger(ChannelPlayout.class);

    /** Segments in the live playlist's sliding window. */
    static final int WINDOW = 6;

    /** Channel timestamp of tick 0: keeps the first DTS (before B-frame reordering) positive. */
    static final long BASE_PTS = 10L * 90_000;

    private static final long HOUR_TICKS = 3600L * 90_000;
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,18}\\.ts");
    private static final String PLAYLIST_NAME = "live.m3u8";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final PlayoutChannel config;
    private final HouseFormat format;
    private final Database db;
    private final ClipCatalog catalog;
    private final Ffmpeg ffmpeg;
    private final Segmenter segmenter;
    private final Path channelDir;
    private final InstantSource clock;
    private final SegmentCache cache;
    private final int ticksPerFrame;
    private final long gopTicks;
    private final long leadTicks;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock cutLock = new ReentrantLock();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private boolean catalogChanged;
    private final Set<String> unplayable = ConcurrentHashMap.newKeySet();
    private final Set<String> precut = ConcurrentHashMap.newKeySet();
    private final Map<Path, Segmenter.Clip> cuts = new LinkedHashMap<>(32, 0.75f, true);
    private Timeline timeline;
    private List<AirableClip> lastCatalog = List.of();
    /** The last rendered playlist, valid for ticks in [renderedFrom, renderedUntil); guarded by lock. */
    private String rendered;

    private long renderedFrom;
    private long renderedUntil;

    ChannelPlayout(
            PlayoutChannel config,
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path channelDir,
            InstantSource clock,
            SegmentCache cache) {
        this.config = config;
        this.format = config.format();
        this.db = db;
        this.catalog = catalog;
        this.ffmpeg = ffmpeg;
        this.segmenter = new Segmenter(ffmpeg);
        this.channelDir = channelDir;
        this.clock = clock;
        this.cache = cache;
        this.ticksPerFrame = 90_000 / format.fps();
        this.gopTicks = (long) format.gopFrames() * ticksPerFrame;
        this.leadTicks = gopTicks;
    }

    PlayoutChannel config() {
        return config;
    }

    /** Loads (or creates) the timeline. Idempotent. */
    void open() throws SQLException {
        lock.lock();
        try {
            if (timeline == null) {
                timeline = Timeline.open(db, config.id(), clock.instant());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides airings until the timeline reaches one segment past {@code now}: late enough that a
     * clip mastered meanwhile still gets its turn, early enough that the next segment is always
     * known (the push and the playlist never wait for a decision). When the
     * timeline ended more than a segment ago (the app was down), the next airing starts at now,
     * with a discontinuity.
     */
    void schedule(Instant now) throws IOException, InterruptedException, SQLException {
        lock.lock();
        try {
            long nowTicks = timeline.ticks(now);
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
                        return;
                    }
                    jump = nowTicks - end > gopTicks;
                    start = jump ? nowTicks : end;
                }
                append(last, start, jump);
            }
        } finally {
            lock.unlock();
        }
    }

    private void append(Optional<Airing> previous, long start, boolean jump)
            throws IOException, InterruptedException, SQLException {
        while (true) {
            Choice choice = choose(start);
            Segmenter.Clip cut;
            try {
                cut = cut(choice.master(), choice.frames());
            } catch (IOException | IllegalArgumentException e) {
                if (choice.clip().isEmpty()) {
                    throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                }
                log.warn(
                        "channel {}: clip {} cannot air and is skipped: {}",
                        config.id(),
                        choice.clip().get().clipId(),
                        e.getMessage());
                unplayable.add(choice.clip().get().clipId());
                continue;
            }
            Map<Integer, Integer> counters = new HashMap<>();
            long sequence = 0;
            long discontinuities = 0;
            if (previous.isPresent()) {
                Airing p = previous.get();
                counters.putAll(p.counters());
                for (Segmenter.Segment s : cut(p.master(), p.frames()).segments()) {
                    s.payloadPackets().forEach((pid, n) -> counters.merge(pid, n, (a, b) -> (a + b) & 0xF));
                }
                sequence = p.endSequence();
                discontinuities = p.discontinuitySequence() + (jump ? 1 : 0);
            }
            Optional<String> clipId = choice.clip().map(AirableClip::clipId);
            Airing airing = new Airing(
                    sequence,
                    start,
                    cut.frames(),
                    cut.segments().size(),
                    jump && previous.isPresent(),
                    discontinuities,
                    clipId,
                    choice.master(),
                    choice.title(),
                    choice.prompt(),
                    choice.fresh(),
                    counters);
            timeline.append(airing);
            log.debug(
                    "channel {}: airing {} from tick {} (sequence {})",
                    config.id(),
                    clipId.orElse("slate"),
                    start,
                    sequence);
            return;
        }
    }

    private record Choice(
            Optional<AirableClip> clip, Path master, int frames, String title, String prompt, boolean fresh) {}

    /**
     * The next airing from {@code start}: the oldest fresh clip in mastering order; else the
     * least recently aired clip (which has not aired for an hour if any clip has not); else the
     * slate.
     */
    private Choice choose(long start) throws IOException, InterruptedException {
        List<AirableClip> clips = catalogClips();
        Map<String, Long> lastAired = timeline.lastAired();
        Comparator<AirableClip> masteringOrder =
                Comparator.comparing(AirableClip::masteredAt).thenComparing(AirableClip::clipId);
        Optional<AirableClip> pick =
                clips.stream().filter(c -> !lastAired.containsKey(c.clipId())).min(masteringOrder);
        boolean fresh = pick.isPresent();
        if (pick.isEmpty()) {
            pick = clips.stream()
                    .min(Comparator.<AirableClip>comparingLong(c -> lastAired.get(c.clipId()))
                            .thenComparing(masteringOrder));
            if (pick.isPresent() && start - lastAired.get(pick.get().clipId()) < HOUR_TICKS) {
                log.debug(
                        "channel {}: every clip aired within the hour; rerunning {}",
                        config.id(),
                        pick.get().clipId());
            }
        }
        if (pick.isPresent()) {
            AirableClip c = pick.get();
            return new Choice(pick, c.master(), c.frames(), c.title(), c.prompt(), fresh);
        }
        Path slate = Slate.make(ffmpeg, channelDir, config.title(), format);
        return new Choice(Optional.empty(), slate, format.joinUnitFrames(), config.title(), Slate.LINE, false);
    }

    private List<AirableClip> catalogClips() {
        try {
            List<AirableClip> clips = catalog.mastered(config.id()).stream()
                    .filter(c -> c.channelId().equals(config.id()) && !unplayable.contains(c.clipId()))
                    .toList();
            if (!clips.equals(lastCatalog)) {
                lastCatalog = clips;
                wakeUp(); // a new clip: precut it now rather than at its airing's decision
            }
        } catch (RuntimeException e) {
            log.warn("channel {}: the clip catalog failed, using its last answer: {}", config.id(), e.toString());
        }
        return lastCatalog;
    }

    private void wakeUp() {
        wakeLock.lock();
        try {
            catalogChanged = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * Sleeps up to {@code timeout}, or less when the catalog has changed since the last call.
     *
     * @return true when woken by a catalog change
     */
    boolean awaitWork(Duration timeout) throws InterruptedException {
        wakeLock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!catalogChanged && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            boolean changed = catalogChanged;
            catalogChanged = false;
            return changed;
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * When the channel thread next has something to do after {@code now}: the next scheduling
     * decision ({@link #leadTicks} before the timeline ends) or the next airing start, whichever
     * comes first; both are known from the timeline, so the thread need not poll.
     */
    Instant nextDue(Instant now) {
        lock.lock();
        try {
            long nowTicks = timeline.ticks(now);
            Optional<Airing> last = timeline.last();
            if (last.isEmpty()) {
                return now;
            }
            long due = last.get().endTicks(ticksPerFrame) - leadTicks;
            for (Airing a : timeline.recent()) {
                if (a.startTicks() > nowTicks) {
                    due = Math.min(due, a.startTicks());
                    break;
                }
            }
            return timeline.instant(due);
        } finally {
            lock.unlock();
        }
    }

    private Segmenter.Clip cut(Path master, int frames) throws IOException, InterruptedException {
        Path dir = master.resolveSibling("hls");
        synchronized (cuts) {
            Segmenter.Clip known = cuts.get(dir);
            if (known != null) {
                return known;
            }
        }
        Segmenter.Clip clip;
        cutLock.lock(); // one ffmpeg cut per channel at a time: the scheduler and precut may want the same clip
        try {
            clip = segmenter.segment(master, dir, format, frames);
        } finally {
            cutLock.unlock();
        }
        for (Segmenter.Segment s : clip.segments()) {
            if (!SEGMENT_NAME.matcher(s.file()).matches()) {
                throw new IOException(
                        dir + ": segment index names " + s.file() + ", which is not a plain segment name");
            }
        }
        synchronized (cuts) {
            cuts.put(dir, clip);
            if (cuts.size() > 64) {
                cuts.remove(cuts.keySet().iterator().next());
            }
        }
        return clip;
    }

    /** Cuts the oldest fresh clip that has not been cut yet, so its airing does not wait for ffmpeg. */
    void precut() throws InterruptedException {
        Map<String, Long> lastAired;
        lock.lock();
        try {
            lastAired = timeline.lastAired();
        } finally {
            lock.unlock();
        }
        for (AirableClip clip : lastCatalog) {
            if (lastAired.containsKey(clip.clipId()) || unplayable.contains(clip.clipId())) {
                continue;
            }
            if (!precut.add(clip.clipId())) {
                continue;
            }
            try {
                if (Segmenter.load(clip.master().resolveSibling("hls")) == null) {
                    cut(clip.master(), clip.frames());
                    return;
                }
            } catch (IOException | IllegalArgumentException e) {
                log.warn(
                        "channel {}: clip {} cannot air and is skipped: {}",
                        config.id(),
                        clip.clipId(),
                        e.getMessage());
                unplayable.add(clip.clipId());
            }
        }
    }

    /** A live segment: which airing, which of its segments, and when. */
    record LiveSegment(Airing airing, int index, long sequence, long startTicks, int frames) {}

    /** The segments whose start has come, the last {@code count} of them, oldest first. */
    private List<LiveSegment> liveEdge(long nowTicks, int count) {
        Deque<LiveSegment> out = new ArrayDeque<>();
        List<Airing> airings = timeline.recent();
        List<Integer> lengths = null;
        for (int i = airings.size() - 1; i >= 0 && out.size() < count; i--) {
            Airing a = airings.get(i);
            if (a.startTicks() > nowTicks) {
                continue;
            }
            lengths = Segmenter.segmentFrames(a.frames(), format.gopFrames());
            for (int k = a.segments() - 1; k >= 0 && out.size() < count; k--) {
                long start = a.startTicks() + k * gopTicks;
                if (start <= nowTicks) {
                    out.addFirst(new LiveSegment(a, k, a.firstSequence() + k, start, lengths.get(k)));
                }
            }
        }
        return List.copyOf(out);
    }

    /** The live playlist (RFC 8216 sliding window) at the clock's now. */
    String playlist() throws IOException, InterruptedException, SQLException {
        Instant now = clock.instant();
        lock.lock();
        try {
            schedule(now);
            long nowTicks = timeline.ticks(now);
            // every viewer reloads the playlist about once per segment: render it once per segment
            if (rendered != null && nowTicks >= renderedFrom && nowTicks < renderedUntil) {
                return rendered;
            }
            List<LiveSegment> window = liveEdge(nowTicks, WINDOW);
            rendered = render(window);
            renderedFrom = nowTicks;
            // no segment starts before the newest one ends: airings are only ever appended at or after its end
            renderedUntil = window.isEmpty()
                    ? nowTicks
                    : window.getLast().startTicks() + (long) window.getLast().frames() * ticksPerFrame;
            return rendered;
        } finally {
            lock.unlock();
        }
    }

    private String render(List<LiveSegment> window) {
        StringBuilder out = new StringBuilder(512);
        out.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        out.append("#EXT-X-TARGETDURATION:").append(format.segmentSeconds()).append('\n');
        if (window.isEmpty()) {
            return out.append("#EXT-X-MEDIA-SEQUENCE:0\n").toString();
        }
        LiveSegment first = window.getFirst();
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n');
        out.append("#EXT-X-DISCONTINUITY-SEQUENCE:")
                .append(first.airing().discontinuitySequence())
                .append('\n');
        for (LiveSegment s : window) {
            boolean airingStart = s.index() == 0;
            if (airingStart && s.airing().discontinuity() && s != first) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (airingStart || s == first) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:")
                        .append(DATE_TIME.format(timeline.instant(s.startTicks())))
                        .append('\n');
            }
            out.append("#EXTINF:")
                    .append(String.format(Locale.ROOT, "%.3f", (double) s.frames() / format.fps()))
                    .append(",\n");
            out.append(s.sequence()).append(".ts\n");
        }
        return out.toString();
    }

    /** Serves {@code live.m3u8} or a live segment named {@code <sequence>.ts}; anything else is not found. */
    HlsResponse resolve(String name) throws IOException, InterruptedException, SQLException {
        if (PLAYLIST_NAME.equals(name)) {
            return new HlsResponse.Found(
                    playlist().getBytes(StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl",
                    "public, max-age=" + Math.max(1, format.segmentSeconds() / 2));
        }
        if (name == null || !SEGMENT_NAME.matcher(name).matches()) {
            return new HlsResponse.NotFound("no such file: segment names are digits followed by .ts");
        }
        long sequence = Long.parseLong(name.substring(0, name.length() - 3));
        Optional<byte[]> bytes;
        try {
            bytes = segment(sequence, true);
        } catch (NoSuchFileException e) {
            log.warn("channel {}: segment {} is gone from disk: {}", config.id(), sequence, e.getMessage());
            return new HlsResponse.NotFound("segment " + sequence + " is no longer available");
        }
        return bytes.<HlsResponse>map(
                        b -> new HlsResponse.Found(b, "video/mp2t", "public, max-age=31536000, immutable"))
                .orElseGet(() -> new HlsResponse.NotFound("segment " + sequence + " is not live"));
    }

    /**
     * The re-stamped bytes of segment {@code sequence}, or empty when no airing holds it (or,
     * with {@code onlyLive}, when its start has not come yet).
     */
    Optional<byte[]> segment(long sequence, boolean onlyLive) throws IOException, InterruptedException, SQLException {
        SegmentCache.Key key = new SegmentCache.Key(config.id(), sequence);
        Airing airing;
        lock.lock();
        try {
            Instant now = clock.instant();
            schedule(now);
            Optional<Airing> found = timeline.bySequence(sequence);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            airing = found.get();
            int index = (int) (sequence - airing.firstSequence());
            if (onlyLive && airing.startTicks() + index * gopTicks > timeline.ticks(now)) {
                return Optional.empty();
            }
        } finally {
            lock.unlock();
        }
        byte[] cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        int index = (int) (sequence - airing.firstSequence());
        Segmenter.Clip clip = cut(airing.master(), airing.frames());
        Map<Integer, Integer> counters = new HashMap<>(airing.counters());
        for (Segmenter.Segment s : clip.segments().subList(0, index)) {
            s.payloadPackets().forEach((pid, n) -> counters.merge(pid, n, (a, b) -> (a + b) & 0xF));
        }
        byte[] bytes = clip.read(index);
        TsPackets.restamp(bytes, BASE_PTS + airing.startTicks() - clip.zeroPts(), counters);
        cache.put(key, bytes);
        return Optional.of(bytes);
    }

    /** Media sequence of the segment live at {@code now}. */
    long liveSequence(Instant now) throws IOException, InterruptedException, SQLException {
        lock.lock();
        try {
            schedule(now);
            List<LiveSegment> edge = liveEdge(timeline.ticks(now), 1);
            return edge.getFirst().sequence();
        } finally {
            lock.unlock();
        }
    }

    /** When segment {@code sequence} starts, if it is on the timeline already. */
    Optional<Instant> segmentStart(long sequence) throws SQLException {
        lock.lock();
        try {
            return timeline.bySequence(sequence)
                    .map(a -> timeline.instant(a.startTicks() + (sequence - a.firstSequence()) * gopTicks));
        } finally {
            lock.unlock();
        }
    }

    /** The airing on air at {@code now}. */
    Optional<NowPlaying> nowPlaying(Instant now) throws IOException, InterruptedException, SQLException {
        lock.lock();
        try {
            schedule(now);
            return current(timeline.ticks(now)).map(this::describe);
        } finally {
            lock.unlock();
        }
    }

    /** The airing after the current one: scheduled already, or what the scheduler would choose now. */
    Optional<NowPlaying> upNext(Instant now) throws IOException, InterruptedException, SQLException {
        lock.lock();
        try {
            schedule(now);
            Optional<Airing> current = current(timeline.ticks(now));
            if (current.isEmpty()) {
                return Optional.empty();
            }
            for (Airing a : timeline.recent()) {
                if (a.firstSequence() > current.get().firstSequence()) {
                    return Optional.of(describe(a));
                }
            }
            long start = current.get().endTicks(ticksPerFrame);
            Choice next = choose(start);
            return Optional.of(new NowPlaying(
                    config.id(),
                    next.clip().map(AirableClip::clipId),
                    next.title(),
                    next.prompt(),
                    timeline.instant(start),
                    timeline.instant(start + (long) next.frames() * ticksPerFrame)));
        } finally {
            lock.unlock();
        }
    }

    private Optional<Airing> current(long nowTicks) {
        List<Airing> airings = timeline.recent();
        for (int i = airings.size() - 1; i >= 0; i--) {
            Airing a = airings.get(i);
            if (a.startTicks() <= nowTicks) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Identifies the airing on air at {@code now}, for change detection. */
    long currentAiringSequence(Instant now) {
        lock.lock();
        try {
            return current(timeline.ticks(now)).map(Airing::firstSequence).orElse(-1L);
        } finally {
            lock.unlock();
        }
    }

    private NowPlaying describe(Airing a) {
        return new NowPlaying(
                config.id(),
                a.clipId(),
                a.title(),
                a.prompt(),
                timeline.instant(a.startTicks()),
                timeline.instant(a.endTicks(ticksPerFrame)));
    }

    /**
     * Seconds of fresh clips not aired yet: mastered clips never scheduled, plus what remains of
     * scheduled first airings. The pipeline asks for new shots while this is below the lookahead.
     */
    double unairedFreshSeconds(Instant now) {
        List<AirableClip> clips = catalogClips();
        lock.lock();
        try {
            Map<String, Long> lastAired = timeline.lastAired();
            long frames = clips.stream()
                    .filter(c -> !lastAired.containsKey(c.clipId()))
                    .mapToLong(AirableClip::frames)
                    .sum();
            double seconds = (double) frames / format.fps();
            long nowTicks = timeline.ticks(now);
            for (Airing a : timeline.recent()) {
                long end = a.endTicks(ticksPerFrame);
                if (a.fresh() && end > nowTicks) {
                    seconds += (end - Math.max(a.startTicks(), nowTicks)) / 90_000.0;
                }
            }
            return seconds;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes airings that ended more than two hours ago. */
    void prune(Instant now) throws SQLException {
        lock.lock();
        try {
            timeline.prune(timeline.ticks(now) - 2 * HOUR_TICKS, ticksPerFrame);
        } finally {
            lock.unlock();
        }
    }
}
