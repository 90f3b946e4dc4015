package tv.latent.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.ContentRefusedException;
import tv.latent.generate.LastFrame;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.logging.Logging;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;
import tv.latent.media.MasterRejectedException;
import tv.latent.media.Mastering;
import tv.latent.storage.MediaStore;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Runs shot jobs through their stages: durable, resumable, bounded.
 *
 * <pre>{@code
 * try (Pipeline pipeline = new Pipeline(jobs, library, layout, ffmpeg, config.pipeline(), stages, InstantSource.system())) {
 *   pipeline.start();
 *   List<ShotJob> queued = pipeline.submit("nature", direction);
 *   ShotJob done = pipeline.await(queued.get(0).id(), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Each job's state is stored after every stage, so a process killed at any moment resumes
 * every job at its stage when started again. A stage that fails is retried with a doubling
 * backoff up to {@code maxAttempts}; a failure that retrying cannot fix, or the last try, marks
 * the job FAILED with its reason. At most {@code maxConcurrentJobs} jobs run at once; each
 * backend has its own cap. Channels are added, changed and removed while it runs
 * ({@link #putChannel}, {@link #removeChannel}); an operator may {@link #retry} a failed job or
 * {@link #cancel} an unfinished one. Thread-safe.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final long LOW_DISK_BYTES = 16L << 20;

    private final JobStore jobs;
    private final ClipLibrary library;
    private final DataLayout layout;
    private final Ffmpeg ffmpeg;
    private final StageChain chain;
    private final MasterStep masterStep;
    private final LatentConfig.Pipeline settings;
    /** The channels whose jobs run, by id; replaced whole (copy on write) under {@link #channelsLock}. */
    private volatile Map<String, ChannelStages> channels;

    private final Object channelsLock = new Object();
    private final InstantSource clock;
    private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** The thread running each job in flight, so a job whose lease lapsed can be stopped. */
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    private final MediaStore media;
    private final Semaphore jobSlots;
    private final Backoff retries;
    private final MonotonicClock monotonic;
    /** Jobs that failed in an unexpected way, kept off the dispatcher until their backoff passes. */
    private final Map<String, Cooling> cooling = new ConcurrentHashMap<>();
    /** Jobs ahead (a viewer's) running now. */
    private final java.util.concurrent.atomic.AtomicInteger aheadRunning =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Whether a job ahead was due and not running at the dispatcher's last pass. */
    private volatile boolean aheadWaiting;

    private final Object wake = new Object();
    private final BooleanSupplier paused;
    private volatile boolean closed;
    private Thread dispatcher;
    private Thread leaseKeeper;
    private FileLock lock;
    private boolean claimedByLease;

    public Pipeline(
            JobStore jobs,
            ClipLibrary library,
            DataLayout layout,
            Ffmpeg ffmpeg,
            LatentConfig.Pipeline settings,
            Map<String, ChannelStages> channels,
            InstantSource clock) {
        this(
                jobs,
                library,
                layout,
                ffmpeg,
                settings,
                channels,
                clock,
                MonotonicClock.system(),
                () -> false,
                null,
                MediaStore.local());
    }

    /**
     * A pipeline on the given clocks, held to budgets, whose files may also go to a shared store.
     *
     * @param clock says when a job is due and when a clip was mastered
     * @param monotonic times backoffs and the dispatcher's waits
     * @param paused no stage starts while it says so (the disk guard: low on space); jobs stay where
     *     they are and go on when it no longer does. Asked often, from the dispatcher and job
     *     threads: it must be cheap and thread-safe
     * @param spending the budgets and spend records, or null to price nothing
     * @param media where stage outputs, masters and thumbnails also go ({@link MediaStore#local()}:
     *     nowhere else). With a bucket several nodes share, each stage's output is stored there
     *     before the job moves on, so another node can resume the job at its next stage; while the
     *     store takes no uploads, the upload retries with a backoff and no new stage starts
     */
    public Pipeline(
            JobStore jobs,
            ClipLibrary library,
            DataLayout layout,
            Ffmpeg ffmpeg,
            LatentConfig.Pipeline settings,
            Map<String, ChannelStages> channels,
            InstantSource clock,
            MonotonicClock monotonic,
            BooleanSupplier paused,
            Spending spending,
            MediaStore media) {
        this.media = media;
        this.paused = () -> paused.getAsBoolean() || !media.writable();
        this.monotonic = monotonic;
        this.jobs = jobs;
        this.library = library;
        this.layout = layout;
        this.ffmpeg = ffmpeg;
        OutputCheck check = new OutputCheck(layout, ffmpeg);
        Fusion fusion = new Fusion(layout, ffmpeg);
        Mastering mastering = new Mastering(ffmpeg);
        this.chain = new StageChain(
                layout,
                check,
                fusion,
                mastering,
                new PipelineListener() {
                    @Override
                    public void stageTried(
                            ShotJob job, JobState stage, String backend, double seconds, boolean succeeded) {
                        listeners.forEach(l -> l.stageTried(job, stage, backend, seconds, succeeded));
                    }
                },
                jobs,
                spending);
        this.masterStep =
                new MasterStep(jobs, library, layout, mastering, fusion, check, clock, media, new PipelineListener() {
                    @Override
                    public void progress(ShotJob job, JobState stage, double fraction, String detail) {
                        listeners.forEach(l -> l.progress(job, stage, fraction, detail));
                    }
                });
        this.settings = settings;
        this.channels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(channels));
        this.clock = clock;
        this.jobSlots = new Semaphore(settings.maxConcurrentJobs());
        this.retries = Backoff.of(
                settings.retryBackoff(),
                MAX_BACKOFF.compareTo(settings.retryBackoff()) < 0 ? settings.retryBackoff() : MAX_BACKOFF);
    }

    /**
     * Adds a channel, or changes one (its backends, format, model): jobs started from now on use
     * {@code stages}; a job already running finishes the stage it is at with the old ones.
     */
    public void putChannel(ChannelStages stages) {
        synchronized (channelsLock) {
            Map<String, ChannelStages> next = new java.util.LinkedHashMap<>(channels);
            next.put(stages.channel().id(), stages);
            channels = java.util.Collections.unmodifiableMap(next);
        }
        signal();
    }

    /**
     * Stops running the channel's jobs: none is started from now on (they stay in the database, as
     * the jobs of a channel no longer configured do); one running finishes the stage it is at.
     */
    public void removeChannel(String channelId) {
        synchronized (channelsLock) {
            Map<String, ChannelStages> next = new java.util.LinkedHashMap<>(channels);
            next.remove(channelId);
            channels = java.util.Collections.unmodifiableMap(next);
        }
    }

    /**
     * Sends a failed job back to work, at the stage it failed at: the first stage of its order
     * without an output. An earlier output whose file is gone (a job that failed for good has its
     * work directory cleaned) is made again, from the first such stage on, with the same plan and
     * seed.
     *
     * @return false when the job is not failed
     * @throws IllegalArgumentException when there is no such job, or its channel is not on air here
     */
    public boolean retry(String jobId) throws SQLException {
        ShotJob job = jobs.find(jobId).orElseThrow(() -> new IllegalArgumentException("no shot job " + jobId));
        if (job.state() != JobState.FAILED) {
            return false;
        }
        if (!channels.containsKey(job.channelId())) {
            throw new IllegalArgumentException(
                    "channel " + job.channelId() + " is not on air here: its jobs cannot run");
        }
        Map<JobState, ShotJob.StageRecord> kept = new java.util.LinkedHashMap<>();
        JobState from = JobState.MASTER;
        for (JobState stage : job.order()) {
            ShotJob.StageRecord record = job.outputs().get(stage);
            if (record == null || !Files.isRegularFile(layout.resolve(record.file()))) {
                from = stage;
                break;
            }
            kept.put(stage, record);
        }
        cooling.remove(jobId);
        store(job, job.retried(from, kept, clock.instant()));
        return true;
    }

    /**
     * Fails a job that is not finished, with {@code reason} (it should start with
     * {@link ShotJob#CANCELLED}). A stage running now finishes, but its result is not stored (the
     * job's version moved on) and nothing more runs.
     *
     * @return false when the job is finished already
     * @throws IllegalArgumentException when there is no such job
     */
    public boolean cancel(String jobId, String reason) throws SQLException {
        for (int tries = 0; ; tries++) {
            ShotJob job = jobs.find(jobId).orElseThrow(() -> new IllegalArgumentException("no shot job " + jobId));
            if (job.state().terminal()) {
                return false;
            }
            try {
                store(job, job.failed(job.attempts(), reason, clock.instant()));
                return true;
            } catch (LostWriteException e) {
                if (tries >= 10) {
                    throw e; // changed under us ten times in a row: let the operator try again
                }
            }
        }
    }

    public void addListener(PipelineListener listener) {
        listeners.add(listener);
    }

    public JobStore jobs() {
        return jobs;
    }

    /** How many jobs run at once. */
    public int maxConcurrentJobs() {
        return settings.maxConcurrentJobs();
    }

    /**
     * Starts the dispatcher, which also resumes every unfinished job found in the database.
     *
     * @throws IllegalStateException when another process runs a pipeline on the same data directory
     */
    public synchronized void start() {
        if (dispatcher != null || closed) {
            return;
        }
        claim();
        dispatcher =
                Thread.ofPlatform().name("pipeline-dispatcher").daemon(true).start(this::dispatchLoop);
        if (jobs.leased()) {
            leaseKeeper = Thread.ofVirtual().name("pipeline-leases").start(this::keepLeases);
        }
    }

    /**
     * Makes this process the one that runs jobs on the data directory (an operating-system lock,
     * freed however the process ends) and drops what a killed process left half-written. Called by
     * {@link #start()}; a station calls it first, so that a second station refuses before it airs
     * anything. Idempotent. With several nodes on one PostgreSQL database no file lock decides
     * anything: each node runs the jobs it leases, and only its own {@code tmp/} is swept.
     *
     * @throws IllegalStateException when another process runs a pipeline on the same data directory
     */
    public synchronized void claim() {
        if (lock != null || claimedByLease) {
            return;
        }
        if (jobs.leased()) {
            claimedByLease = true;
            sweepTmp();
            return;
        }
        try {
            FileChannel file = FileChannel.open(
                    layout.root().resolve("pipeline.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken = null;
            try {
                taken = file.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // another pipeline of this same process holds it
            }
            if (taken == null) {
                file.close();
                throw new IllegalStateException("another LatentTV process is making clips in " + layout.root()
                        + "; stop it first, or start this one with --no-generate to serve what it makes");
            }
            lock = taken;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + layout.root() + ": " + e.getMessage(), e);
        }
        sweepTmp();
    }

    /** Whatever a killed process left half-written is dropped; its jobs redo that stage. */
    private void sweepTmp() {
        try (var stale = Files.list(layout.tmp())) {
            for (Path p : stale.toList()) {
                DataLayout.deleteTree(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /** Queues the shots of a direction for a channel; returns the stored jobs. */
    public List<ShotJob> submit(String channelId, Director.Direction direction) throws SQLException {
        return submit(channelId, direction, 0);
    }

    /**
     * Queues shots that must be made before any other (a viewer's): they take the next free job
     * slot, and while one of them is running or waiting, the lookahead's shots start no new stage
     * (each finishes the stage it is in, then waits, and goes on from there afterwards), so the
     * shot ahead gets the slots and the CPU of the embedded engines.
     */
    public List<ShotJob> submitAhead(String channelId, Director.Direction direction) throws SQLException {
        return submit(channelId, direction, ShotJob.AHEAD);
    }

    private List<ShotJob> submit(String channelId, Director.Direction direction, int priority) throws SQLException {
        ChannelStages stages = channels.get(channelId);
        if (stages == null) {
            throw new IllegalArgumentException("no channel '" + channelId + "'");
        }
        Instant now = clock.instant();
        boolean narrator = stages.channel().narration().on();
        List<ShotJob> created = new ArrayList<>();
        for (ShotPlan plan : direction.shots()) {
            // a shot the narrator is silent over (or a channel without one) has no speak stage
            List<JobState> order = JobState.order(stages.channel().interpolateFirst(), narrator && plan.narrated());
            ShotJob job = new ShotJob(
                    UUID.randomUUID().toString(),
                    channelId,
                    plan,
                    direction.director(),
                    direction.note(),
                    order,
                    order.get(0),
                    0,
                    now,
                    "",
                    Map.of(),
                    0,
                    now,
                    now,
                    priority,
                    "");
            ShotJob previous = created.isEmpty() ? null : created.getLast();
            boolean continues = stages.channel().continuity()
                    && previous != null
                    && !plan.sequence().isEmpty()
                    && plan.sequence().equals(previous.plan().sequence());
            created.add(continues ? job.continuing(previous.id()) : job);
        }
        jobs.insert(created);
        created.forEach(this::announce);
        signal();
        return created;
    }

    /** Waits until a job is MASTERED or FAILED, or the timeout passes; returns its latest stored state. */
    public ShotJob await(String jobId, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ShotJob job = jobs.find(jobId).orElseThrow(() -> new IllegalArgumentException("no shot job " + jobId));
            if (job.state().terminal() || System.nanoTime() > deadline) {
                return job;
            }
            synchronized (wake) {
                wake.wait(100);
            }
        }
    }

    private void signal() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** A job kept off the dispatcher after {@code failures} unexpected failures in a row, until {@code untilNanos}. */
    private record Cooling(int failures, long untilNanos) {}

    /** At most this many jobs are remembered as cooling; beyond it the oldest are forgotten (they are retried). */
    private static final int COOLING_KEPT = 10_000;

    private static final Backoff DISPATCHER_FAILING = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private void dispatchLoop() {
        int failures = 0;
        while (!closed) {
            try {
                if (paused.getAsBoolean()) {
                    synchronized (wake) {
                        wake.wait(200);
                    }
                    continue;
                }
                // leased claims take only what this node can start now: a claimed job waits for no one
                int wanted = jobs.leased() ? jobSlots.availablePermits() : settings.maxConcurrentJobs() * 4;
                List<ShotJob> due =
                        wanted == 0 ? List.of() : jobs.claim(clock.instant(), channels.keySet(), wanted, coolingNow());
                failures = 0;
                boolean stopped = false;
                for (ShotJob job : due) {
                    boolean skip = stopped
                            || closed
                            || inFlight.contains(job.id())
                            || stillCooling(job.id())
                            || waitsForPrevious(job);
                    if (!skip && job.priority() == 0 && aheadActive()) {
                        stopped = true; // due is in priority order: the rest wait while shots ahead are made
                    } else if (!skip && !jobSlots.tryAcquire()) {
                        stopped = true;
                    }
                    if (skip || stopped) {
                        if (!inFlight.contains(job.id())) {
                            jobs.release(job.id()); // another node may take it meanwhile
                        }
                        continue;
                    }
                    inFlight.add(job.id());
                    boolean ahead = job.priority() > 0;
                    if (ahead) {
                        aheadRunning.incrementAndGet();
                    }
                    // a platform thread: stages burn CPU (the embedded renderer, ffmpeg waits), and on
                    // the virtual threads' few carriers they would hold up playout and viewers' requests
                    Thread.ofPlatform()
                            .daemon(true)
                            .name("job-" + job.id().substring(0, 8))
                            .start(() -> {
                                MDC.put(Logging.CHANNEL, job.channelId());
                                MDC.put(Logging.JOB, job.id());
                                running.put(job.id(), Thread.currentThread());
                                try {
                                    runJob(job);
                                } finally {
                                    running.remove(job.id());
                                    Thread.interrupted(); // stopped or not, its lease goes back
                                    releaseLease(job.id());
                                    MDC.clear();
                                    if (ahead) {
                                        aheadRunning.decrementAndGet();
                                    }
                                    inFlight.remove(job.id());
                                    jobSlots.release();
                                    signal();
                                }
                            });
                }
                aheadWaiting = due.stream()
                        .anyMatch(j -> j.priority() > 0 && !inFlight.contains(j.id()) && !stillCooling(j.id()));
                synchronized (wake) {
                    wake.wait(200);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                failures++;
                Duration wait = DISPATCHER_FAILING.delay(failures);
                // the stack once, then one line per failure: a database that is down must not flood the log
                LOG.error(
                        "pipeline dispatcher: {} ({} in a row); trying again in {} ms",
                        e.toString(),
                        failures,
                        wait.toMillis(),
                        failures == 1 ? e : null);
                sleepQuietly(monotonic, wait);
            }
        }
    }

    /**
     * True while a shot ahead (a viewer's) is running or waiting for a slot: the lookahead's shots
     * then start no stage, so the viewer's shot has the job slots and the CPU to itself (a running
     * stage is never cut short; the job goes on from the next stage afterwards).
     */
    private boolean aheadActive() {
        return aheadRunning.get() > 0 || aheadWaiting;
    }

    /**
     * A shot that continues another renders only once that one has rendered (its last frame is
     * then in this job's work directory) or has failed (then it renders on its own).
     */
    private boolean waitsForPrevious(ShotJob job) throws SQLException {
        if (job.state() != JobState.RENDER || job.continues().isEmpty() || hasContinueFrame(job.id())) {
            return false;
        }
        ShotJob previous = jobs.find(job.continues()).orElse(null);
        return previous != null && previous.state() == JobState.RENDER;
    }

    /** Whether the shot's hand-off frame is here, or fetched now from the shared store. */
    private boolean hasContinueFrame(String jobId) {
        Path frame = layout.work(jobId).resolve(StageChain.CONTINUE_FRAME);
        if (Files.exists(frame) || media.isLocal()) {
            return Files.exists(frame);
        }
        try {
            return media.fetch(layout.relative(frame), frame);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Hands a just-rendered shot's last frame to the shots that continue it, before the render is
     * stored (so a continuing shot never sees this one rendered without its frame). A frame that
     * cannot be made only means the next shot renders on its own.
     */
    private void handOffLastFrame(ShotJob job, Path render) throws SQLException, InterruptedException {
        for (String nextId : jobs.continuing(job.id())) {
            ShotJob next = jobs.find(nextId).orElse(null);
            if (next == null || next.state() != JobState.RENDER) {
                continue;
            }
            try {
                Path dir = layout.work(nextId);
                Files.createDirectories(dir);
                Path frame = dir.resolve(StageChain.CONTINUE_FRAME);
                LastFrame.extract(ffmpeg, render, frame);
                // the next shot may render on another node: it finds the frame in the shared store
                media.tryStore(layout.relative(frame), frame);
            } catch (IOException e) {
                LOG.warn("shot job {}: cannot hand its last frame to {}: {}", job.id(), nextId, e.getMessage());
            }
        }
    }

    private void releaseLease(String jobId) {
        try {
            jobs.release(jobId);
        } catch (SQLException | RuntimeException e) {
            // the lease lapses on its own
            LOG.debug("shot job {}: giving its lease back failed: {}", jobId, e.toString());
        }
    }

    /**
     * Renews this node's leases on the jobs it runs, every third of a lease. A job whose lease
     * lapsed (this node stalled, or was cut off from the database while another node took it over)
     * is stopped at once: whatever it would store is refused anyway. When renewing keeps failing
     * for a whole lease, every lease has lapsed and every job is stopped.
     */
    private void keepLeases() {
        long every = Math.max(200, jobs.lease().toMillis() / 3);
        long lastRenewed = monotonic.nanos();
        int failures = 0;
        while (!closed) {
            try {
                Thread.sleep(every);
                Set<String> ids = Set.copyOf(running.keySet());
                if (ids.isEmpty()) {
                    lastRenewed = monotonic.nanos();
                    continue;
                }
                Set<String> held = jobs.renew(ids);
                lastRenewed = monotonic.nanos();
                failures = 0;
                for (String id : ids) {
                    if (!held.contains(id)) {
                        stop(id, "this node's lease on it lapsed; another node resumes it");
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                failures++;
                if (failures == 1) {
                    LOG.warn("renewing job leases failed: {}", e.toString());
                }
                if (monotonic.nanos() - lastRenewed >= jobs.lease().toNanos()) {
                    for (String id : Set.copyOf(running.keySet())) {
                        stop(id, "this node could not reach the database for a whole lease; another node resumes it");
                    }
                }
            }
        }
    }

    private void stop(String jobId, String why) {
        Thread t = running.get(jobId);
        if (t != null) {
            LOG.warn("shot job {} stops here: {}", jobId, why);
            t.interrupt();
        }
    }

    /** The jobs kept off the dispatcher right now (a claim passes them over). */
    private Set<String> coolingNow() {
        Set<String> out = new java.util.HashSet<>();
        cooling.keySet().forEach(id -> {
            if (stillCooling(id)) {
                out.add(id);
            }
        });
        return out;
    }

    private boolean stillCooling(String jobId) {
        Cooling c = cooling.get(jobId);
        return c != null && monotonic.nanos() - c.untilNanos() < 0;
    }

    private void runJob(ShotJob start) {
        ShotJob job = start;
        ChannelStages stages = channels.get(job.channelId());
        if (stages == null) {
            return; // its channel went while the job waited for a slot
        }
        try {
            while (!job.state().terminal() && !closed && !paused.getAsBoolean()) {
                job = runStage(job, stages);
                if (job.nextAttemptAt().isAfter(clock.instant()) && !job.state().terminal()) {
                    return; // waiting for a retry; the dispatcher picks it up when it is due
                }
                if (!job.state().terminal() && job.priority() == 0 && aheadActive()) {
                    LOG.debug("shot job {} waits at {} while a shot ahead of it is made", job.id(), job.state());
                    return; // due again at once: the dispatcher takes it up when no shot ahead is left
                }
            }
            cooling.remove(job.id());
        } catch (InterruptedException e) {
            // the station stops, or this node lost the job's lease: what is stored is where it resumes
        } catch (StoreUnreachable e) {
            LOG.warn("shot job {} waits: {}", job.id(), e.getMessage());
            coolDown(job.id());
        } catch (LostWriteException e) {
            // another writer changed the job: it is read afresh when next due
            LOG.warn("shot job {}: {}", job.id(), e.getMessage());
            coolDown(job.id());
        } catch (SQLException | RuntimeException e) {
            unexpected(job, e);
        }
    }

    /**
     * A job failed in a way no stage reported (a database error, a bug): it counts as an attempt
     * with its backoff like any failure, so a job that cannot proceed never spins.
     */
    private void unexpected(ShotJob job, Exception e) {
        int failures = coolDown(job.id());
        LOG.error(
                "shot job {} at {}: unexpected {} ({} in a row)",
                job.id(),
                job.state(),
                e.toString(),
                failures,
                failures == 1 ? e : null);
        try {
            ShotJob current = jobs.find(job.id()).orElse(null);
            if (current != null && !current.state().terminal()) {
                failOrRetry(current, current.state(), "unexpected error: " + e, true, null);
            }
        } catch (SQLException | RuntimeException again) {
            LOG.warn("shot job {}: could not record the failure either: {}", job.id(), again.toString());
        }
    }

    /** Keeps a job off the dispatcher for a backoff; returns its unexpected failures in a row. */
    private int coolDown(String jobId) {
        Cooling before = cooling.get(jobId);
        int failures = before == null ? 1 : before.failures() + 1;
        cooling.put(
                jobId,
                new Cooling(
                        failures, monotonic.nanos() + retries.delay(failures).toNanos()));
        if (cooling.size() > COOLING_KEPT) {
            cooling.keySet().stream().findFirst().ifPresent(cooling::remove);
        }
        return failures;
    }

    private ShotJob runStage(ShotJob job, ChannelStages stages)
            throws SQLException, InterruptedException, StoreUnreachable {
        JobState stage = job.state();
        Path workDir = layout.work(job.id());
        long started = System.nanoTime();
        MDC.put(Logging.STAGE, stage.name().toLowerCase(Locale.ROOT));
        try {
            Files.createDirectories(workDir);
            fetchInputs(job);
            if (stage == JobState.MASTER) {
                ShotJob mastered;
                try {
                    mastered = masterStep.master(job, stages, started);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    tried(job, stage, started, false);
                    throw e;
                }
                tried(job, stage, started, true);
                announce(mastered);
                return mastered;
            }
            StageContext context = new StageContext(
                    workDir, (fraction, detail) -> listeners.forEach(l -> l.progress(job, stage, fraction, detail)));
            ShotJob.StageRecord record = chain.run(job, stage, stages, context, started);
            if (!record.planned() && !record.file().isEmpty()) {
                // before the job moves on: another node resuming it at the next stage needs this file
                media.store(record.file(), layout.resolve(record.file()));
            }
            if (stage == JobState.RENDER && !record.file().isEmpty()) {
                handOffLastFrame(job, layout.resolve(record.file()));
            }
            return store(job, job.advanced(stage, record, clock.instant()));
        } catch (ContentRefusedException e) {
            return store(job, refused(job, stage, e.getMessage()));
        } catch (StageException e) {
            // a fused run's failure is the planned stage's whose filters failed in it
            JobState blamed = e instanceof FusedStageFailure f ? f.stage() : stage;
            return failOrRetry(
                    job, blamed, e.getMessage(), e.retryable(), e.retryAfter().orElse(null));
        } catch (FfmpegException e) {
            return failOrRetry(
                    job,
                    stage,
                    e.diskFull() ? "disk full: " + e.getMessage() : withDiskSpace(e.getMessage()),
                    !e.diskFull(),
                    null);
        } catch (MasterRejectedException e) {
            return failOrRetry(job, stage, withDiskSpace(e.getMessage()), false, null);
        } catch (StoreUnreachable e) {
            throw e;
        } catch (IOException e) {
            return failOrRetry(job, stage, withDiskSpace(describe(e)), true, null);
        } finally {
            MDC.remove(Logging.STAGE);
        }
    }

    /**
     * The outputs of the job's earlier stages, fetched from the media store when another node made
     * them. A store that cannot be reached now costs the job no attempt: it waits.
     */
    private void fetchInputs(ShotJob job) throws StoreUnreachable {
        if (media.isLocal()) {
            return;
        }
        for (ShotJob.StageRecord record : job.outputs().values()) {
            if (record.planned() || !record.file().startsWith("work/")) {
                continue;
            }
            try {
                media.fetch(record.file(), layout.resolve(record.file()));
            } catch (IOException e) {
                throw new StoreUnreachable("the output of an earlier stage cannot be fetched now: " + e.getMessage());
            }
        }
    }

    /** The media store cannot be reached: the job waits without spending an attempt. */
    private static final class StoreUnreachable extends IOException {
        StoreUnreachable(String message) {
            super(message);
        }
    }

    /** The master stage is one ffmpeg encode: reported as backend {@code ffmpeg}. */
    private void tried(ShotJob job, JobState stage, long startedNanos, boolean succeeded) {
        double seconds = seconds(startedNanos);
        listeners.forEach(l -> l.stageTried(job, stage, "ffmpeg", seconds, succeeded));
    }

    /** ffmpeg does not always report a full disk (a failed faststart pass can exit 0): say so when space is low. */
    private String withDiskSpace(String reason) {
        try {
            long free = Files.getFileStore(layout.root()).getUsableSpace();
            if (free < LOW_DISK_BYTES && !reason.startsWith("disk full")) {
                return "disk full (no space left: " + free / 1024 + " KiB free in " + layout.root() + "): " + reason;
            }
        } catch (IOException ignored) {
            // keep the original reason
        }
        return reason;
    }

    /** A model refused the shot: it fails at once, without a retry, and the lookahead has the director replace it. */
    private ShotJob refused(ShotJob job, JobState stage, String reason) {
        String message = stage.name().toLowerCase(Locale.ROOT) + ShotJob.REFUSED + reason;
        LOG.warn("shot job {} was refused; the director writes another: {}", job.id(), message);
        try {
            DataLayout.deleteTree(layout.work(job.id()));
        } catch (IOException e) {
            LOG.warn("could not clean the work directory of {}: {}", job.id(), e.getMessage());
        }
        return job.failed(job.attempts() + 1, message, clock.instant());
    }

    private ShotJob failOrRetry(ShotJob job, JobState stage, String reason, boolean retryable, Duration retryAfter)
            throws SQLException {
        int attempts = job.attempts() + 1;
        Instant now = clock.instant();
        String message = stage.name().toLowerCase(Locale.ROOT) + " failed: " + reason;
        if (retryable && attempts < settings.maxAttempts()) {
            Duration wait = retries.delay(attempts, retryAfter);
            LOG.warn(
                    "shot job {} {} (try {} of {}); retrying in {} ms",
                    job.id(),
                    message,
                    attempts,
                    settings.maxAttempts(),
                    wait.toMillis());
            return store(job, job.retryAt(attempts, now.plus(wait), message, now));
        }
        LOG.warn("shot job {} failed for good: {}", job.id(), message);
        // stored first: a node whose lease lapsed is refused here, and must not delete the stage
        // outputs in the bucket that the node now holding the job resumes from
        ShotJob failed = store(job, job.failed(attempts, message, now));
        try {
            DataLayout.deleteTree(layout.work(job.id()));
            media.deleteAll("work/" + job.id() + "/");
        } catch (IOException e) {
            LOG.warn("could not clean the work directory of {}: {}", job.id(), e.getMessage());
        }
        return failed;
    }

    private ShotJob store(ShotJob current, ShotJob next) throws SQLException {
        ShotJob stored = jobs.update(current, next);
        announce(stored);
        return stored;
    }

    private void announce(ShotJob job) {
        listeners.forEach(l -> l.changed(job));
        signal();
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        if (message != null && message.toLowerCase(Locale.ROOT).contains("no space left")) {
            return "disk full: " + message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void sleepQuietly(MonotonicClock monotonic, Duration d) {
        try {
            monotonic.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking jobs and waits (bounded) for running ones to reach a stored state; idempotent. */
    @Override
    public void close() {
        Thread d;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            d = dispatcher;
        }
        signal();
        if (leaseKeeper != null) {
            leaseKeeper.interrupt();
        }
        if (d != null) {
            d.interrupt();
            try {
                d.join(TimeUnit.SECONDS.toMillis(5));
                // running jobs finish their current stage; what they have not stored resumes next start
                jobSlots.tryAcquire(settings.maxConcurrentJobs(), 30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
