package tv.latent.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;
import tv.latent.media.MasterRejectedException;
import tv.latent.media.Mastering;
import tv.latent.media.MediaInfo;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final long LOW_DISK_BYTES = 16L << 20;
    /** The parameter under which a stage record keeps the output's measured length. */
    static final String MEASURED_SECONDS = "measured.seconds";

    private final JobStore jobs;
    private final ClipLibrary library;
    private final DataLayout layout;
    private final Ffmpeg ffmpeg;
    private final Mastering mastering;
    private final LatentConfig.Pipeline settings;
    private final Map<String, ChannelStages> channels;
    private final InstantSource clock;
    private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore jobSlots;
    private final Object wake = new Object();
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
        this.jobs = jobs;
        this.library = library;
        this.layout = layout;
        this.ffmpeg = ffmpeg;
        this.mastering = new Mastering(ffmpeg);
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
            while (!job.state().terminal() && !closed) {
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
                return master(job, stages, started);
            }
            StageContext context = new StageContext(
                    workDir, (fraction, detail) -> listeners.forEach(l -> l.progress(job, stage, fraction, detail)));
            Attempted attempted = attempt(job, stage, stages, context);
            StageOutput output = attempted.output();
            Path kept = workDir.resolve(stage.name().toLowerCase(Locale.ROOT) + extension(output.file()));
            DataLayout.moveIntoPlace(output.file(), kept);
            var record = new ShotJob.StageRecord(
                    layout.relative(kept), output.backend(), output.params(), seconds(started), attempted.fallback());
            Map<JobState, ShotJob.StageRecord> outputs = new EnumMap<>(JobState.class);
            outputs.putAll(job.outputs());
            outputs.put(stage, record);
            return store(job, with(job, job.after(stage), 0, clock.instant(), "", outputs));
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

    private record Attempted(StageOutput output, String fallback) {}

    /** Tries each backend of the stage's chain in turn; the first usable output wins. */
    private Attempted attempt(ShotJob job, JobState stage, ChannelStages stages, StageContext context)
            throws IOException, InterruptedException {
        ChannelConfig channel = stages.channel();
        List<? extends Backend<?>> chain =
                switch (stage) {
                    case RENDER -> stages.render();
                    case UPSCALE -> stages.upscale();
                    case INTERPOLATE -> stages.interpolate();
                    case SCORE -> stages.score();
                    default -> throw new IllegalStateException("not a generation stage: " + stage);
                };
        List<String> failures = new ArrayList<>();
        boolean anyRetryable = false;
        for (Backend<?> backend : chain) {
            backend.permits().acquire();
            try {
                StageOutput output = call(job, stage, backend, channel, context);
                checkInsideWorkDir(output.file(), context.workDir());
                double seconds = validate(stage, job, output, channel);
                Map<String, String> params = new LinkedHashMap<>(output.params());
                params.put(MEASURED_SECONDS, String.format(Locale.ROOT, "%.4f", seconds));
                return new Attempted(
                        new StageOutput(output.file(), output.backend(), params), String.join("; ", failures));
            } catch (StageException e) {
                anyRetryable |= e.retryable();
                failures.add(backend.name() + ": " + e.getMessage());
            } catch (FfmpegException e) {
                anyRetryable |= !e.diskFull();
                failures.add(backend.name() + ": " + e.getMessage());
                if (e.diskFull()) {
                    throw new StageException(String.join("; ", failures), false, e);
                }
            } catch (IOException e) {
                anyRetryable = true;
                failures.add(backend.name() + ": " + describe(e));
            } finally {
                backend.permits().release();
            }
        }
        throw new StageException(String.join("; ", failures), anyRetryable);
    }

    private StageOutput call(
            ShotJob job, JobState stage, Backend<?> backend, ChannelConfig channel, StageContext context)
            throws IOException, InterruptedException {
        ShotPlan plan = job.plan();
        var format = channel.format();
        var model = channel.model();
        return switch (stage) {
            case RENDER ->
                ((Renderer) backend.impl())
                        .render(
                                new Renderer.RenderRequest(
                                        plan.prompt(),
                                        plan.negativePrompt(),
                                        plan.seed(),
                                        model.width(),
                                        model.height(),
                                        model.frames(),
                                        model.fps()),
                                context);
            case UPSCALE ->
                ((Upscaler) backend.impl())
                        .upscale(
                                new Upscaler.UpscaleRequest(
                                        input(job, stage),
                                        plan.prompt(),
                                        plan.negativePrompt(),
                                        plan.seed(),
                                        format.width(),
                                        format.height()),
                                context);
            case INTERPOLATE ->
                ((Interpolator) backend.impl())
                        .interpolate(
                                new Interpolator.InterpolateRequest(
                                        input(job, stage), format.fps(), channel.slowMotion()),
                                context);
            case SCORE ->
                ((Scorer) backend.impl())
                        .score(
                                new Scorer.ScoreRequest(
                                        musicPrompt(plan, channel),
                                        channel.model().seconds() * channel.slowMotion() + 0.5,
                                        plan.seed()),
                                context);
            default -> throw new IllegalStateException(stage.name());
        };
    }

    private static String musicPrompt(ShotPlan plan, ChannelConfig channel) {
        return plan.musicPrompt().isBlank() ? channel.musicMood() : plan.musicPrompt();
    }

    private Path input(ShotJob job, JobState stage) throws StageException {
        ShotJob.StageRecord before = job.videoBefore(stage);
        if (before == null) {
            throw new StageException("no video from an earlier stage to work on", false);
        }
        Path file = layout.resolve(before.file());
        if (!Files.isRegularFile(file)) {
            throw new StageException("the output of an earlier stage is missing: " + before.file(), false);
        }
        return file;
    }

    /** Rejects outputs that are not usable media, with a reason a person can act on; returns the measured seconds. */
    private double validate(JobState stage, ShotJob job, StageOutput output, ChannelConfig channel)
            throws IOException, InterruptedException {
        Path file = output.file();
        String who = output.backend() + " " + stage.name().toLowerCase(Locale.ROOT) + " output";
        if (!Files.isRegularFile(file)) {
            throw new StageException(who + " was not written", false);
        }
        if (Files.size(file) == 0) {
            throw new StageException(who + " is empty (0 bytes)", false);
        }
        MediaInfo info;
        try {
            info = ffmpeg.probe(file);
        } catch (FfmpegException e) {
            throw new StageException(who + " is not readable media: " + e.getMessage(), false, e);
        }
        if (stage == JobState.SCORE) {
            var audio = info.audio().orElseThrow(() -> new StageException(who + " has no audio stream", false));
            double seconds = audio.durationSeconds() > 0 ? audio.durationSeconds() : info.durationSeconds();
            if (seconds < 0.5) {
                throw new StageException(
                        String.format(Locale.ROOT, "%s lasts %.2f s; at least 0.5 s is needed", who, seconds), false);
            }
            return seconds;
        }
        var video = info.video()
                .orElseThrow(() -> new StageException(
                        who + " has no video stream" + (info.audio().isPresent() ? " (audio only)" : ""), false));
        if (video.frames() < 2) {
            throw new StageException(who + " has " + video.frames() + " decodable frames", false);
        }
        double seconds = info.videoSeconds();
        double expected =
                switch (stage) {
                    case RENDER -> channel.model().seconds();
                    case INTERPOLATE -> durationOf(job.videoBefore(stage)) * channel.slowMotion();
                    default -> durationOf(job.videoBefore(stage));
                };
        if (expected > 0 && (seconds < expected * 0.5 || seconds > expected * 2 + 1)) {
            throw new StageException(
                    String.format(Locale.ROOT, "%s lasts %.2f s, expected about %.2f s", who, seconds, expected),
                    false);
        }
        if (stage == JobState.UPSCALE
                && (video.width() != channel.format().width()
                        || video.height() != channel.format().height())) {
            throw new StageException(
                    who + " is " + video.width() + "x" + video.height() + ", expected "
                            + channel.format().width() + "x" + channel.format().height(),
                    false);
        }
        if (stage == JobState.INTERPOLATE
                && Math.abs(video.fps() - channel.format().fps()) > 0.05) {
            throw new StageException(
                    String.format(
                            Locale.ROOT,
                            "%s runs at %.2f fps, expected %d",
                            who,
                            video.fps(),
                            channel.format().fps()),
                    false);
        }
        return seconds;
    }

    /** A stage output's length as measured when it was accepted (probed again only for records stored before that). */
    private double durationOf(ShotJob.StageRecord record) throws IOException, InterruptedException {
        if (record == null) {
            return 0;
        }
        String measured = record.params().get(MEASURED_SECONDS);
        return measured != null
                ? Double.parseDouble(measured)
                : ffmpeg.probe(layout.resolve(record.file())).videoSeconds();
    }

    private ShotJob master(ShotJob job, ChannelStages stages, long started)
            throws IOException, InterruptedException, SQLException {
        ChannelConfig channel = stages.channel();
        ShotJob.StageRecord video = job.videoBefore(JobState.MASTER);
        ShotJob.StageRecord music = job.outputs().get(JobState.SCORE);
        if (video == null || music == null) {
            throw new StageException(
                    "mastering needs the video and the music; have "
                            + job.outputs().keySet(),
                    false);
        }
        Path videoFile = layout.resolve(video.file());
        Path musicFile = layout.resolve(music.file());
        int frames = channel.format().masteredFrames(durationOf(video));
        String clipId = job.id();
        Path staging = Files.createTempDirectory(layout.tmp(), "master-" + clipId.substring(0, 8) + "-");
        try {
            Mastering.Mastered mastered = mastering.master(
                    videoFile,
                    musicFile,
                    channel.format(),
                    frames,
                    staging,
                    job.plan().title(),
                    "LatentTV clip; made by " + describeMakers(job.outputs()),
                    fraction -> listeners.forEach(l -> l.progress(job, JobState.MASTER, fraction, "")));
            Path clipDir = layout.clip(channel.id(), clipId);
            DataLayout.moveIntoPlace(staging, clipDir);
            Map<JobState, ShotJob.StageRecord> outputs = new EnumMap<>(JobState.class);
            outputs.putAll(job.outputs());
            outputs.put(
                    JobState.MASTER,
                    new ShotJob.StageRecord(
                            layout.relative(clipDir.resolve("master.mp4")),
                            "ffmpeg",
                            Map.of(
                                    "frames",
                                    String.valueOf(frames),
                                    "format",
                                    channel.format().toString()),
                            seconds(started),
                            ""));
            Instant now = clock.instant();
            ShotJob next = with(job, JobState.MASTERED, 0, now, "", outputs);
            var info = mastered.info();
            var v = info.video().orElseThrow();
            Clip clip = new Clip(
                    clipId,
                    job.id(),
                    channel.id(),
                    job.plan().title(),
                    job.plan().prompt(),
                    job.plan().negativePrompt(),
                    job.plan().seed(),
                    musicPrompt(job.plan(), channel),
                    job.director() + (job.directorNote().isEmpty() ? "" : " (" + job.directorNote() + ")"),
                    provenance(outputs),
                    frames,
                    channel.format().fps(),
                    v.width(),
                    v.height(),
                    channel.format().secondsFor(frames),
                    Double.isNaN(mastered.loudnessLufs()) ? null : mastered.loudnessLufs(),
                    Files.size(clipDir.resolve("master.mp4")),
                    clipDir.resolve("master.mp4"),
                    clipDir.resolve("thumb.jpg"),
                    now);
            ShotJob stored = jobs.database().write(c -> {
                library.insert(c, clip);
                return jobs.update(c, job, next);
            });
            announce(stored);
            DataLayout.deleteTree(layout.work(job.id()));
            LOG.info(
                    "mastered clip {} for channel {}: {}",
                    clipId,
                    channel.id(),
                    job.plan().title());
            return stored;
        } finally {
            DataLayout.deleteTree(staging);
        }
    }

    /** "render: procedural (procedural renderer, not AI), interpolate: ffmpeg, ..." for the clip's own tags. */
    private static String describeMakers(Map<JobState, ShotJob.StageRecord> outputs) {
        List<String> parts = new ArrayList<>();
        outputs.forEach((stage, r) -> {
            String note = r.params().getOrDefault("note", "");
            parts.add(stage.name().toLowerCase(Locale.ROOT) + ": " + r.backend()
                    + (note.isEmpty() ? "" : " (" + note + ")"));
        });
        return String.join(", ", parts);
    }

    private static String provenance(Map<JobState, ShotJob.StageRecord> outputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        outputs.forEach((stage, r) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("backend", r.backend());
            entry.put("params", r.params());
            entry.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            if (!r.fallback().isEmpty()) {
                entry.put("fallback", r.fallback());
            }
            out.put(stage.name().toLowerCase(Locale.ROOT), entry);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
            return store(job, with(job, stage, attempts, now.plus(wait), message, job.outputs()));
        }
        LOG.warn("shot job {} failed for good: {}", job.id(), message);
        try {
            DataLayout.deleteTree(layout.work(job.id()));
        } catch (IOException e) {
            LOG.warn("could not clean the work directory of {}: {}", job.id(), e.getMessage());
        }
        return store(job, with(job, JobState.FAILED, attempts, now, message, job.outputs()));
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

    private ShotJob with(
            ShotJob job,
            JobState state,
            int attempts,
            Instant next,
            String error,
            Map<JobState, ShotJob.StageRecord> outputs) {
        return new ShotJob(
                job.id(),
                job.channelId(),
                job.plan(),
                job.director(),
                job.directorNote(),
                job.order(),
                state,
                attempts,
                next,
                error,
                outputs,
                job.version(),
                job.createdAt(),
                clock.instant());
    }

    private static void checkInsideWorkDir(Path file, Path workDir) throws StageException {
        if (!file.toAbsolutePath()
                .normalize()
                .startsWith(workDir.toAbsolutePath().normalize())) {
            throw new StageException("backend wrote its output outside the job's work directory: " + file, false);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : ".bin";
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static String describe(IOException e) {
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
