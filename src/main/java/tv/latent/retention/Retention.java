package tv.latent.retention;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.LatentConfig;
import tv.latent.library.ClipLibrary;
import tv.latent.library.ClipLibrary.Age;
import tv.latent.library.ClipLibrary.Entry;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.pipeline.JobStore;
import tv.latent.playout.PlayoutRecords;
import tv.latent.storage.MediaStore;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Retention: keeps the library within its limits, per channel (age, count, disk) and overall
 * (disk), by deleting the oldest clips that may go; prunes failed jobs' rows; sweeps leftovers.
 *
 * <p>Never deleted: a clip marked to be kept; the newest {@code minClips} of each channel; a clip
 * its channel has not aired yet (fresh, or arrived and not taken in); a clip of the channel's
 * newest airings (on air, decided ahead, just aired) or among its next reruns; the library's
 * newest clip (its position numbers the next arrival). When a limit cannot be met because of
 * these, the pass reports the overshoot instead of going further.
 *
 * <p>Each limit is met by reading clips oldest first from an index, a page at a time, and deleting
 * them in batches of at most {@link #BATCH} per transaction (see {@link ClipRemoval} for the order
 * that survives a crash). Totals come from a table kept by triggers. So a pass costs the same with
 * a hundred clips or a million, plus what it deletes.
 *
 * <pre>{@code
 * Retention retention = new Retention(db, layout, config.retention(), channelIds, guard, InstantSource.system());
 * retention.start();                        // sweeps, then a pass every retention.everyMinutes
 * retention.dryRun(d -> System.out.println(d.clipId() + ": " + d.reason()));
 * }</pre>
 *
 * <p>Thread-safe: passes are serialised (the retention thread, the CLI, a wake-up from the disk
 * guard). {@link #close()} is idempotent and waits at most a few seconds.
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Clips read per indexed query. */
    static final int PAGE = 256;
    /** Clips deleted per transaction: a pass never holds the database's writer long. */
    static final int BATCH = 128;
    /** Failed jobs deleted per transaction. */
    static final int JOB_BATCH = 500;
    /** Clips whose files could not be deleted, retried at the next pass; beyond, the daily sweep finds them. */
    static final int RETRIES_KEPT = 1024;

    private static final Duration FULL_SWEEP_EVERY = Duration.ofDays(1);
    private static final Backoff BACKOFF = Backoff.of(Duration.ofSeconds(30), Duration.ofMinutes(30));

    private final LatentConfig.Retention settings;
    private final java.util.function.Supplier<? extends Collection<String>> channelsOnAir;
    private final ClipLibrary library;
    private final JobStore jobs;
    private final PlayoutRecords playout;
    private final ClipRemoval removal;
    private final Sweeper sweeper;
    private final DiskGuard guard;
    private final DiskGuard.Space space;
    private final InstantSource wall;
    private final MonotonicClock monotonic;
    private final AtomicLong clipsDeleted = new AtomicLong();
    private final AtomicLong bytesDeleted = new AtomicLong();
    private final Map<String, Entry> filesLeft = new LinkedHashMap<>();
    private final ReentrantLock passes = new ReentrantLock();
    private final Object wake = new Object();
    private boolean wakeWanted;
    private String lastOvershoot = "";
    private Thread thread;
    private boolean closed;

    /**
     * A clip retention deletes (or, in a dry run, would delete), and why.
     *
     * @param bytes its estimated size on disk (see {@link #footprint})
     */
    public record Deletion(String clipId, String channelId, Instant masteredAt, long bytes, String reason) {}

    /**
     * What a pass did (or, in a dry run, would do).
     *
     * @param clips clips deleted
     * @param bytes bytes freed by deleting them (a dry run: estimated)
     * @param overshoot each limit that could not be met, and why
     * @param failedJobs failed jobs' rows pruned
     * @param leftovers directories swept (orphaned clip directories, temporary cuts, work, tmp)
     * @param leftoverBytes the bytes they held
     * @param batches deletion transactions; none held more than {@link #BATCH} clips
     * @param largestBatch clips in the largest of them
     */
    public record Outcome(
            int clips,
            long bytes,
            List<String> overshoot,
            int failedJobs,
            int leftovers,
            long leftoverBytes,
            int batches,
            int largestBatch) {
        public Outcome {
            overshoot = List.copyOf(overshoot);
        }
    }

    /**
     * @param channelsOnAir the channels configured: a clip of another channel is never aired
     *     again, so not airing it yet does not keep it
     * @param guard its threshold sets the automatic disk budget; its disk is the one measured
     */
    public Retention(
            Database db,
            DataLayout layout,
            LatentConfig.Retention settings,
            Collection<String> channelsOnAir,
            DiskGuard guard,
            InstantSource wall) {
        this(db, layout, settings, fixed(channelsOnAir), guard, wall, MonotonicClock.system());
    }

    private static java.util.function.Supplier<Set<String>> fixed(Collection<String> channels) {
        Set<String> copy = Set.copyOf(channels);
        return () -> copy;
    }

    /**
     * A retention for a station whose channels come and go while it runs.
     *
     * @param channelsOnAir the channels on air now (read at each pass)
     */
    public Retention(
            Database db,
            DataLayout layout,
            LatentConfig.Retention settings,
            java.util.function.Supplier<? extends Collection<String>> channelsOnAir,
            DiskGuard guard,
            InstantSource wall) {
        this(db, layout, settings, channelsOnAir, guard, wall, MonotonicClock.system());
    }

    /**
     * Retention on the given clocks: {@code wall} ages clips and failed jobs, {@code monotonic}
     * times the passes. Leftover files are aged on the operating system's clock, which stamped them.
     */
    public Retention(
            Database db,
            DataLayout layout,
            LatentConfig.Retention settings,
            java.util.function.Supplier<? extends Collection<String>> channelsOnAir,
            DiskGuard guard,
            InstantSource wall,
            MonotonicClock monotonic) {
        this(db, layout, settings, channelsOnAir, guard, wall, monotonic, MediaStore.local());
    }

    /**
     * Retention of a library whose media also live in {@code media} (a bucket several nodes share):
     * a deleted clip's objects go from the bucket too, after its rows (a failure is tried again at
     * the next pass, like a file that could not be deleted).
     */
    public Retention(
            Database db,
            DataLayout layout,
            LatentConfig.Retention settings,
            java.util.function.Supplier<? extends Collection<String>> channelsOnAir,
            DiskGuard guard,
            InstantSource wall,
            MonotonicClock monotonic,
            MediaStore media) {
        this.monotonic = monotonic;
        this.settings = settings;
        this.channelsOnAir = channelsOnAir;
        this.library = new ClipLibrary(db, layout);
        this.jobs = new JobStore(db);
        this.playout = new PlayoutRecords(db);
        this.removal = new ClipRemoval(db, layout, library, jobs, playout, media);
        // file times come from the operating system's clock: a file just written is young on it,
        // whatever clock the station runs on (a simulated month's is days ahead of the files it writes)
        this.sweeper = new Sweeper(layout, library, jobs, InstantSource.system(), media);
        this.guard = guard;
        this.space = guard.space();
        this.wall = wall;
    }

    /**
     * The estimated size on disk of a clip whose master has {@code masterBytes}: the master, its
     * segments (the same streams, plus 8 to 16 % of MPEG-TS packaging, measured) and its thumbnail.
     * Budgets count clips this way, so no file is looked at; a clip never cut counts as if it were.
     */
    static long footprint(long masterBytes) {
        return masterBytes * 22 / 10;
    }

    /** Clips deleted since start (for metrics). */
    public long clipsDeleted() {
        return clipsDeleted.get();
    }

    /** Bytes freed by deleting clips since start (for metrics). */
    public long bytesDeleted() {
        return bytesDeleted.get();
    }

    /**
     * Starts the retention thread (virtual): a full sweep and a pass now, then a pass every
     * {@code everyMinutes} (or at once when the disk guard pauses generation), a full sweep once a
     * day. A failing pass is tried again after a backoff.
     */
    public void start() {
        synchronized (wake) {
            if (thread != null || closed) {
                return;
            }
            guard.onPause(this::wakeUp);
            thread = Thread.ofVirtual().name("retention").start(this::loop);
        }
    }

    /** Asks the retention thread for a pass now. */
    public void wakeUp() {
        synchronized (wake) {
            wakeWanted = true;
            wake.notifyAll();
        }
    }

    private void loop() {
        int failures = 0;
        long lastFullSweep = 0;
        boolean first = true;
        while (!isClosed()) {
            Duration pause = settings.every();
            try {
                boolean full = first || monotonic.nanos() - lastFullSweep >= FULL_SWEEP_EVERY.toNanos();
                run(full);
                if (full) {
                    lastFullSweep = monotonic.nanos();
                }
                first = false;
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                pause = BACKOFF.delay(failures);
                LOG.warn(
                        "retention pass failed ({} in a row), trying again in {} s: {}",
                        failures,
                        pause.toSeconds(),
                        e.toString());
            }
            try {
                awaitWake(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitWake(Duration pause) throws InterruptedException {
        long deadline = monotonic.nanos() + pause.toNanos();
        synchronized (wake) {
            while (!wakeWanted && !closed) {
                long left = deadline - monotonic.nanos();
                if (left <= 0) {
                    break;
                }
                wake.wait(Math.max(1, monotonic.realNanos(left) / 1_000_000));
            }
            wakeWanted = false;
        }
    }

    private boolean isClosed() {
        synchronized (wake) {
            return closed;
        }
    }

    /** One pass: clips, failed jobs, and leftovers in work and tmp. */
    public Outcome runOnce() throws SQLException, IOException, InterruptedException {
        return run(false);
    }

    /** One pass that also sweeps every clip directory (what {@code latenttv prune} runs). */
    public Outcome prune() throws SQLException, IOException, InterruptedException {
        return run(true);
    }

    private Outcome run(boolean fullSweep) throws SQLException, IOException, InterruptedException {
        passes.lockInterruptibly();
        try {
            Sweeper.Swept swept = fullSweep ? sweeper.everything() : sweeper.light();
            long retried = retryFiles();
            Pass pass = new Pass(false, d -> {});
            select(pass);
            pass.flush();
            int failedJobs = pruneFailedJobs();
            Outcome outcome = new Outcome(
                    pass.deleted,
                    pass.freed + retried,
                    pass.overshoot,
                    failedJobs,
                    swept.total(),
                    swept.bytes(),
                    pass.batches,
                    pass.largestBatch);
            report(outcome);
            return outcome;
        } finally {
            passes.unlock();
        }
    }

    /**
     * Deletes one clip now, as an operator asks, in the same crash-safe order as a pass (rows, then
     * files). Refused while its channel still needs it on the timeline (on air, scheduled or just
     * aired: its segments are being served), and for a clip marked to be kept. A clip not aired yet,
     * or next in line to rerun, may go: it is taken out of the channel's programming in the same
     * transaction.
     *
     * @return the bytes freed
     * @throws IllegalArgumentException saying why the clip cannot go (or that there is no such clip)
     */
    public long delete(String clipId) throws SQLException, InterruptedException {
        passes.lockInterruptibly();
        try {
            if (library.find(clipId).isEmpty()) {
                throw new IllegalArgumentException("no clip " + clipId + " in the library");
            }
            Entry clip = library.unkeptEntry(clipId)
                    .orElseThrow(() -> new IllegalArgumentException("clip " + clipId + " is kept: unkeep it first"));
            PlayoutRecords.Need need = playout.needed(
                            clip.channelId(), List.of(new PlayoutRecords.ClipRef(clip.id(), clip.seq())))
                    .get(clip.id());
            if (need == PlayoutRecords.Need.ON_TIMELINE) {
                throw new IllegalArgumentException("clip " + clipId + " is " + need.reason()
                        + ": take it off air first; it can be deleted once it has left the timeline (a few minutes)");
            }
            List<Entry> gone = removal.forgetRows(List.of(clip));
            if (gone.isEmpty()) {
                throw new IllegalArgumentException("clip " + clipId + " was marked to be kept meanwhile");
            }
            clipsDeleted.incrementAndGet();
            return deleteFiles(clip);
        } finally {
            passes.unlock();
        }
    }

    /**
     * What a pass would delete now and why, without deleting anything; {@code each} sees every
     * clip as it is chosen, oldest first within each limit.
     */
    public Outcome dryRun(Consumer<Deletion> each) throws SQLException, IOException, InterruptedException {
        passes.lockInterruptibly();
        try {
            Pass pass = new Pass(true, each);
            select(pass);
            return new Outcome(pass.chosen, pass.estimated, pass.overshoot, 0, 0, 0, 0, 0);
        } finally {
            passes.unlock();
        }
    }

    /** The clips chosen in one pass, deleted batch by batch as they are chosen (unless a dry run). */
    private final class Pass {
        final boolean dryRun;
        final Consumer<Deletion> each;
        final List<Entry> batch = new ArrayList<>();
        final List<String> overshoot = new ArrayList<>();
        /** Per channel, the newest clip chosen: each limit takes a prefix of the channel's clips that may go. */
        final Map<String, Age> lastChosen = new HashMap<>();

        int chosen;
        long estimated;
        int deleted;
        long freed;
        int batches;
        int largestBatch;

        Pass(boolean dryRun, Consumer<Deletion> each) {
            this.dryRun = dryRun;
            this.each = each;
        }

        void choose(Entry clip, String reason) throws SQLException, InterruptedException {
            long bytes = footprint(clip.sizeBytes());
            each.accept(new Deletion(clip.id(), clip.channelId(), clip.masteredAt(), bytes, reason));
            chosen++;
            estimated += bytes;
            lastChosen.merge(clip.channelId(), clip.age(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            if (!dryRun) {
                batch.add(clip);
                if (batch.size() >= BATCH) {
                    flush();
                }
            }
        }

        /** True when an earlier limit of this pass already chose {@code clip} (it may go, and is not newer than what was chosen). */
        boolean alreadyChosen(Entry clip) {
            Age last = lastChosen.get(clip.channelId());
            return last != null && clip.age().compareTo(last) <= 0;
        }

        void flush() throws SQLException, InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("retention is closing"); // between two batches: nothing is half done
            }
            if (batch.isEmpty()) {
                return;
            }
            List<Entry> gone = removal.forgetRows(List.copyOf(batch));
            batches++;
            largestBatch = Math.max(largestBatch, batch.size());
            batch.clear();
            deleted += gone.size();
            clipsDeleted.addAndGet(gone.size());
            for (Entry clip : gone) {
                freed += deleteFiles(clip);
            }
        }
    }

    private void select(Pass pass) throws SQLException, IOException, InterruptedException {
        List<ClipLibrary.Totals> totals = library.totals();
        long newestSeq = library.newestSeq();
        Map<String, Optional<Age>> floors = new HashMap<>();
        long libraryBytes = 0;
        for (ClipLibrary.Totals channel : totals) {
            LatentConfig.ClipLimits limits = settings.forChannel(channel.channelId());
            Optional<Age> floor = library.nthNewest(channel.channelId(), limits.minClips());
            floors.put(channel.channelId(), floor);
            libraryBytes += footprint(channel.bytes());
            if (floor.isPresent()) {
                withinChannelLimits(pass, channel, limits, floor.get(), newestSeq);
            }
        }
        pass.flush();
        long left = libraryBytes - pass.estimated;
        LibraryBudget budget = libraryBudget(left);
        if (budget != null && left > budget.bytes()) {
            withinLibraryBudget(pass, left - budget.bytes(), budget.reason(), floors, newestSeq);
        }
    }

    private void withinChannelLimits(
            Pass pass, ClipLibrary.Totals channel, LatentConfig.ClipLimits limits, Age floor, long newestSeq)
            throws SQLException, InterruptedException {
        String id = channel.channelId();
        long countOver = limits.maxClips() > 0 ? channel.clips() - limits.maxClips() : 0;
        long bytesOver = limits.maxDiskBytes() > 0 ? footprint(channel.bytes()) - limits.maxDiskBytes() : 0;
        long cutoff = limits.maxAge().isZero()
                ? Long.MIN_VALUE
                : wall.millis() - limits.maxAge().toMillis();
        if (countOver <= 0 && bytesOver <= 0 && cutoff == Long.MIN_VALUE) {
            return;
        }
        long count = 0;
        long bytes = 0;
        int held = 0;
        Age after = null;
        scan:
        while (true) {
            List<Entry> page = library.oldestUnkept(id, after, floor, PAGE);
            Map<String, String> mustStay = mustStay(id, page, newestSeq);
            for (Entry clip : page) {
                after = clip.age();
                boolean old = clip.masteredAt().toEpochMilli() < cutoff;
                if (!old && count >= countOver && bytes >= bytesOver) {
                    break scan;
                }
                if (mustStay.containsKey(clip.id())) {
                    held++;
                    continue;
                }
                String reason = old
                        ? "older than " + days(limits.maxAge())
                        : count < countOver
                                ? "channel " + id + " has more than " + limits.maxClips() + " clips"
                                : "channel " + id + " is over its " + DiskGuard.size(limits.maxDiskBytes());
                pass.choose(clip, reason);
                count++;
                bytes += footprint(clip.sizeBytes());
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        String why = " (" + held + " passed over: not aired yet, on the timeline or next to rerun; the rest are kept"
                + " or among the channel's newest " + limits.minClips() + ")";
        if (count < countOver) {
            pass.overshoot.add("channel " + id + ": " + (countOver - count) + " clips over maxClips "
                    + limits.maxClips() + " cannot go" + why);
        }
        if (bytes < bytesOver) {
            pass.overshoot.add("channel " + id + ": " + DiskGuard.size(bytesOver - bytes) + " over its maxDiskGb "
                    + DiskGuard.size(limits.maxDiskBytes()) + " cannot go" + why);
        }
    }

    private void withinLibraryBudget(
            Pass pass, long over, String reason, Map<String, Optional<Age>> floors, long newestSeq)
            throws SQLException, InterruptedException {
        long freed = 0;
        int held = 0;
        Age after = null;
        scan:
        while (freed < over) {
            List<Entry> page = library.oldestUnkept(null, after, null, PAGE);
            Map<String, List<Entry>> byChannel = new HashMap<>();
            page.forEach(c -> byChannel
                    .computeIfAbsent(c.channelId(), k -> new ArrayList<>())
                    .add(c));
            Map<String, String> mustStay = new HashMap<>();
            for (Map.Entry<String, List<Entry>> channel : byChannel.entrySet()) {
                mustStay.putAll(mustStay(channel.getKey(), channel.getValue(), newestSeq));
            }
            for (Entry clip : page) {
                after = clip.age();
                Optional<Age> floor = floors.computeIfAbsent(clip.channelId(), this::floorOf);
                if (floor.isEmpty() || clip.age().compareTo(floor.get()) >= 0) {
                    continue;
                }
                if (mustStay.containsKey(clip.id())) {
                    held++;
                    continue;
                }
                if (pass.alreadyChosen(clip)) {
                    continue;
                }
                pass.choose(clip, reason);
                freed += footprint(clip.sizeBytes());
                if (freed >= over) {
                    break scan;
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        if (freed < over) {
            pass.overshoot.add("library: " + DiskGuard.size(over - freed) + " over budget cannot go (" + held
                    + " passed over: not aired yet, on the timeline or next to rerun; the rest are kept or among"
                    + " their channel's newest minClips)");
        }
    }

    private Optional<Age> floorOf(String channelId) {
        try {
            return library.nthNewest(channelId, settings.forChannel(channelId).minClips());
        } catch (SQLException e) {
            throw new IllegalStateException("reading the clip library: " + e.getMessage(), e);
        }
    }

    /** Why each clip of a page (all of one channel) must stay, for those that must. */
    private Map<String, String> mustStay(String channelId, List<Entry> clips, long newestSeq) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (clips.isEmpty()) {
            return out;
        }
        Map<String, PlayoutRecords.Need> needs = playout.needed(
                channelId,
                clips.stream()
                        .map(c -> new PlayoutRecords.ClipRef(c.id(), c.seq()))
                        .toList());
        boolean airs = channelsOnAir.get().contains(channelId);
        for (Entry clip : clips) {
            PlayoutRecords.Need need = needs.get(clip.id());
            if (clip.seq() >= newestSeq) {
                // the next clip to arrive is numbered after the newest one: deleting it would give
                // that number again, and a channel that had taken it in would never see the new clip
                out.put(clip.id(), "the library's newest clip");
            } else if (need != null && (need != PlayoutRecords.Need.FRESH || airs)) {
                out.put(clip.id(), need.reason());
            }
        }
        return out;
    }

    private record LibraryBudget(long bytes, String reason) {}

    /** The library's budget: the configured one, or (auto) what keeps twice the guard's threshold free. */
    private LibraryBudget libraryBudget(long libraryBytes) throws IOException {
        if (settings.maxDiskBytes().isPresent()) {
            long max = settings.maxDiskBytes().getAsLong();
            return new LibraryBudget(max, "the library is over its maxDiskGb " + DiskGuard.size(max));
        }
        long free;
        long total;
        try {
            free = space.freeBytes();
            total = space.totalBytes();
        } catch (IOException e) {
            LOG.warn(
                    "retention: cannot read the disk's free space, so no automatic budget this pass: {}", e.toString());
            return null;
        }
        long reserve = 2 * guard.threshold(total);
        if (free >= reserve) {
            return null;
        }
        return new LibraryBudget(
                Math.max(0, libraryBytes - (reserve - free)),
                "the disk has less than " + DiskGuard.size(reserve) + " free (twice the disk guard's threshold)");
    }

    /** Step 2 of a deletion; a failure is logged and the clip's files are tried again at the next pass. */
    private long deleteFiles(Entry clip) {
        try {
            long bytes = removal.deleteFiles(clip);
            bytesDeleted.addAndGet(bytes);
            return bytes;
        } catch (IOException e) {
            LOG.warn(
                    "retention: the files of deleted clip {} could not all be removed (tried again later): {}",
                    clip.id(),
                    e.toString());
            synchronized (filesLeft) {
                filesLeft.put(clip.id(), clip);
                Iterator<String> oldest = filesLeft.keySet().iterator();
                while (filesLeft.size() > RETRIES_KEPT) {
                    oldest.next();
                    oldest.remove();
                }
            }
            return 0;
        }
    }

    private long retryFiles() {
        List<Entry> again;
        synchronized (filesLeft) {
            again = List.copyOf(filesLeft.values());
            filesLeft.clear();
        }
        long bytes = 0;
        for (Entry clip : again) {
            bytes += deleteFiles(clip);
        }
        return bytes;
    }

    private int pruneFailedJobs() throws SQLException {
        Instant before = wall.instant().minus(settings.failedJobsKept());
        int total = 0;
        while (true) {
            int pruned = jobs.pruneFailed(before, JOB_BATCH);
            total += pruned;
            if (pruned < JOB_BATCH || isClosed()) {
                return total;
            }
        }
    }

    private void report(Outcome outcome) {
        if (outcome.clips() > 0 || outcome.failedJobs() > 0 || outcome.leftovers() > 0) {
            LOG.info(
                    "retention: {} clips deleted ({} freed), {} failed jobs pruned, {} leftovers swept ({})",
                    outcome.clips(),
                    DiskGuard.size(outcome.bytes()),
                    outcome.failedJobs(),
                    outcome.leftovers(),
                    DiskGuard.size(outcome.leftoverBytes()));
        }
        String overshoot = String.join("; ", outcome.overshoot());
        if (!overshoot.equals(lastOvershoot)) {
            if (overshoot.isEmpty()) {
                LOG.info("retention: every limit is met again");
            } else {
                LOG.warn("retention: over a limit that it may not meet: {}", overshoot);
            }
            lastOvershoot = overshoot;
        }
    }

    private static String days(Duration age) {
        double days = age.toSeconds() / 86_400.0;
        return days == Math.rint(days)
                ? (long) days + (days == 1 ? " day" : " days")
                : String.format(Locale.ROOT, "%.2f days", days);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (wake) {
            if (closed) {
                return;
            }
            closed = true;
            wake.notifyAll();
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
