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
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;
import tv.latent.media.MasterRejectedException;

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
 * backend has its own cap. Thread-safe.
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
    private final Map<String, ChannelStages> channels;
    private final InstantSource clock;
    private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore jobSlots;
    private final Object wake = new Object();
    private final BooleanSupplier paused;
    private volatile boolean closed;
    private Thread dispatcher;
    private FileLock lock;

    public Pipeline(
            JobStore jobs,
            ClipLibrary library,
            DataLayout layout,
            Ffmpeg ffmpeg,
            LatentConfig.Pipeline settings,
            Map<String, ChannelStages> channels,
            InstantSource clock) {
        this(jobs, library, layout, ffmpeg, settings, channels, clock, () -> false);
    }

    /**
     * A pipeline that starts no stage while {@code paused} says so (the disk guard: low on space);
     * jobs stay where they are and go on when it no longer does. {@code paused} is asked often, from
     * the dispatcher and job threads: it must be cheap and thread-safe.
     */
    public Pipeline(
            JobStore jobs,
            ClipLibrary library,
            DataLayout layout,
            Ffmpeg ffmpeg,
            LatentConfig.Pipeline settings,
            Map<String, ChannelStages> channels,
            InstantSource clock,
            BooleanSupplier paused) {
        this.paused = paused;
        this.jobs = jobs;
        this.library = library;
        this.layout = layout;
        this.ffmpeg = ffmpeg;
        OutputCheck check = new OutputCheck(layout, ffmpeg);
        this.chain = new StageChain(layout, check);
        this.masterStep = new MasterStep(jobs, library, layout, ffmpeg, check, clock, new PipelineListener() {
            @Override
            public void progress(ShotJob job, JobState stage, double fraction, String detail) {
                listeners.forEach(l -> l.progress(job, stage, fraction, detail));
            }
        });
        this.settings = settings;
        this.channels = Map.copyOf(channels);
        this.clock = clock;
        this.jobSlots = new Semaphore(settings.maxConcurrentJobs());
    }

    public void addListener(PipelineListener listener) {
        listeners.add(listener);
    }

    public JobStore jobs() {
        return jobs;
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
        try {
            lock = FileChannel.open(
                            layout.root().resolve("pipeline.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                    .tryLock();
            if (lock == null) {
                throw new IllegalStateException("another LatentTV process is running the pipeline on " + layout.root());
            }
            // whatever a killed process left half-written is dropped; its jobs redo that stage
            try (var stale = Files.list(layout.tmp())) {
                for (Path p : stale.toList()) {
                    DataLayout.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + layout.root() + ": " + e.getMessage(), e);
        }
        dispatcher =
                Thread.ofPlatform().name("pipeline-dispatcher").daemon(true).start(this::dispatchLoop);
    }

    /** Queues the shots of a direction for a channel; returns the stored jobs. */
    public List<ShotJob> submit(String channelId, Director.Direction direction) throws SQLException {
        ChannelStages stages = channels.get(channelId);
        if (stages == null) {
            throw new IllegalArgumentException("no channel '" + channelId + "'");
        }
        Instant now = clock.instant();
        List<JobState> order = JobState.order(stages.channel().interpolateFirst());
        List<ShotJob> created = new ArrayList<>();
        for (ShotPlan plan : direction.shots()) {
            created.add(new ShotJob(
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
                    now));
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

    private void dispatchLoop() {
        while (!closed) {
            try {
                if (paused.getAsBoolean()) {
                    synchronized (wake) {
                        wake.wait(200);
                    }
                    continue;
                }
                List<ShotJob> due = jobs.due(clock.instant(), settings.maxConcurrentJobs() * 4);
                for (ShotJob job : due) {
                    if (closed || !channels.containsKey(job.channelId()) || inFlight.contains(job.id())) {
                        continue;
                    }
                    if (!jobSlots.tryAcquire()) {
                        break;
                    }
                    inFlight.add(job.id());
                    Thread.ofVirtual().name("job-" + job.id().substring(0, 8)).start(() -> {
                        try {
                            runJob(job);
                        } finally {
                            inFlight.remove(job.id());
                            jobSlots.release();
                            signal();
                        }
                    });
                }
                synchronized (wake) {
                    wake.wait(200);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.error("pipeline dispatcher: {}", e.getMessage(), e);
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private void runJob(ShotJob start) {
        ShotJob job = start;
        ChannelStages stages = channels.get(job.channelId());
        try {
            while (!job.state().terminal() && !closed && !paused.getAsBoolean()) {
                job = runStage(job, stages);
                if (job.nextAttemptAt().isAfter(clock.instant()) && !job.state().terminal()) {
                    return; // waiting for a retry; the dispatcher picks it up when it is due
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            LOG.error("shot job {}: {}", job.id(), e.getMessage(), e);
        }
    }

    private ShotJob runStage(ShotJob job, ChannelStages stages) throws SQLException, InterruptedException {
        JobState stage = job.state();
        Path workDir = layout.work(job.id());
        long started = System.nanoTime();
        try {
            Files.createDirectories(workDir);
            if (stage == JobState.MASTER) {
                ShotJob mastered = masterStep.master(job, stages, started);
                announce(mastered);
                return mastered;
            }
            StageContext context = new StageContext(
                    workDir, (fraction, detail) -> listeners.forEach(l -> l.progress(job, stage, fraction, detail)));
            StageChain.Attempted attempted = chain.attempt(job, stage, stages, context);
            StageOutput output = attempted.output();
            Path kept = workDir.resolve(stage.name().toLowerCase(Locale.ROOT) + extension(output.file()));
            DataLayout.moveIntoPlace(output.file(), kept);
            var record = new ShotJob.StageRecord(
                    layout.relative(kept), output.backend(), output.params(), seconds(started), attempted.fallback());
            return store(job, job.advanced(stage, record, clock.instant()));
        } catch (StageException e) {
            return failOrRetry(job, stage, e.getMessage(), e.retryable());
        } catch (FfmpegException e) {
            return failOrRetry(
                    job,
                    stage,
                    e.diskFull() ? "disk full: " + e.getMessage() : withDiskSpace(e.getMessage()),
                    !e.diskFull());
        } catch (MasterRejectedException e) {
            return failOrRetry(job, stage, withDiskSpace(e.getMessage()), false);
        } catch (IOException e) {
            return failOrRetry(job, stage, withDiskSpace(describe(e)), true);
        }
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

    private ShotJob failOrRetry(ShotJob job, JobState stage, String reason, boolean retryable) throws SQLException {
        int attempts = job.attempts() + 1;
        Instant now = clock.instant();
        String message = stage.name().toLowerCase(Locale.ROOT) + " failed: " + reason;
        if (retryable && attempts < settings.maxAttempts()) {
            Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(20, attempts - 1));
            if (wait.compareTo(MAX_BACKOFF) > 0) {
                wait = MAX_BACKOFF;
            }
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
        try {
            DataLayout.deleteTree(layout.work(job.id()));
        } catch (IOException e) {
            LOG.warn("could not clean the work directory of {}: {}", job.id(), e.getMessage());
        }
        return store(job, job.failed(attempts, message, now));
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

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : ".bin";
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

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
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
