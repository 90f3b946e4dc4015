package tv.latent.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tv.latent.config.ChannelConfig;
import tv.latent.director.NarrationLines;
import tv.latent.director.ShotPlan;
import tv.latent.generate.ContentRefusedException;
import tv.latent.generate.Continuation;
import tv.latent.generate.FilterPlan;
import tv.latent.generate.FilterStage;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.Speaker;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.library.DataLayout;
import tv.latent.media.FfmpegException;
import tv.latent.media.Mastering;

/**
 * Runs one generation stage of a job along the channel's fallback chain: each backend in turn,
 * within its concurrency permits, until one makes an output that passes the {@link OutputCheck}.
 * A backend made only of ffmpeg filters is planned instead of run ({@link Fusion}); a backend that
 * is not gets its input as a file, written by one ffmpeg run when stages before it were planned.
 *
 * <p>A paid backend is called only when its estimated cost fits the channel's and the station's
 * budgets ({@link Spending}); otherwise the chain goes on to the next backend and the output's
 * fallback note says why. What a paid call cost is recorded for the job and kept in the output's
 * parameters (the clip's provenance). A render that continues the previous shot of its sequence is
 * first asked of each backend that can start from a frame, with the previous shot's last frame,
 * then as text to video with the same prompt; provenance records which shot it continued and how.
 * A model's content refusal ends the chain at once: the same prompt is not sent anywhere else.
 *
 * <p>Thread-safe: it keeps no state of its own; backends bound their own concurrency.
 */
final class StageChain {
    /** The previous shot's last frame, put in a continuing job's work directory when that shot renders. */
    static final String CONTINUE_FRAME = "continue-from.png";

    private final DataLayout layout;
    private final OutputCheck check;
    private final Fusion fusion;
    private final Mastering mastering;
    private final PipelineListener listener;
    private final JobStore jobs;
    private final Spending spending;

    /**
     * @param listener hears each backend's try ({@link PipelineListener#stageTried})
     * @param spending the budgets and spend records, or null for none (nothing is priced)
     */
    StageChain(
            DataLayout layout,
            OutputCheck check,
            Fusion fusion,
            Mastering mastering,
            PipelineListener listener,
            JobStore jobs,
            Spending spending) {
        this.layout = layout;
        this.check = check;
        this.fusion = fusion;
        this.mastering = mastering;
        this.listener = listener;
        this.jobs = jobs;
        this.spending = spending;
    }

    /**
     * A usable output and, when earlier backends of the chain failed first, why.
     *
     * @param file the output, or null when a filter stage was planned instead of run
     */
    record Attempted(Path file, String backend, Map<String, String> params, String fallback) {}

    /**
     * Runs {@code stage} of {@code job} along its chain, keeps the output in the job's work directory
     * under the stage's name, and returns the stage's record. A filter stage is planned, not run
     * ({@link Fusion}): its record has no file.
     */
    ShotJob.StageRecord run(ShotJob job, JobState stage, ChannelStages stages, StageContext context, long started)
            throws IOException, InterruptedException, SQLException {
        Attempted attempted = attempt(job, stage, stages, context);
        String file = "";
        if (attempted.file() != null) {
            Path kept = context.workDir().resolve(stage.name().toLowerCase(Locale.ROOT) + extension(attempted.file()));
            DataLayout.moveIntoPlace(attempted.file(), kept);
            file = layout.relative(kept);
        }
        return new ShotJob.StageRecord(
                file, attempted.backend(), attempted.params(), Pipeline.seconds(started), attempted.fallback());
    }

    /** Tries each backend of the stage's chain in turn; the first usable output (or plan) wins. */
    Attempted attempt(ShotJob job, JobState stage, ChannelStages stages, StageContext context)
            throws IOException, InterruptedException, SQLException {
        ChannelConfig channel = stages.channel();
        List<? extends Backend<?>> chain =
                switch (stage) {
                    case RENDER -> stages.render();
                    case UPSCALE -> stages.upscale();
                    case INTERPOLATE -> stages.interpolate();
                    case SCORE -> stages.score();
                    case SPEAK -> stages.speak();
                    default -> throw new IllegalStateException("not a generation stage: " + stage);
                };
        Continuation continuation = stage == JobState.RENDER ? continuation(job) : null;
        List<String> failures = new ArrayList<>();
        boolean anyRetryable = false;
        Duration retryAfter = null;
        Path materialized = null;
        try {
            for (Backend<?> backend : chain) {
                Spending.Reservation reservation = null;
                if (spending != null && backend.price().paid()) {
                    double seconds = channel.model().seconds() * (stage == JobState.RENDER ? 1 : channel.slowMotion());
                    Optional<Spending.Reservation> held = spending.reserve(
                            channel.id(), backend.name(), backend.price().cost(seconds, 0));
                    if (held.isEmpty()) {
                        failures.add(backend.name() + ": skipped, "
                                + spending.refusal(channel.id()).orElse("over budget"));
                        continue;
                    }
                    reservation = held.get();
                }
                backend.permits().acquire();
                try {
                    boolean startsFromFrame =
                            continuation != null && backend.impl() instanceof Renderer renderer && renderer.continues();
                    for (Continuation from :
                            startsFromFrame ? Arrays.asList(continuation, null) : Arrays.asList((Continuation) null)) {
                        String who = backend.name() + (from != null ? " (image to video)" : "");
                        long started = System.nanoTime();
                        boolean succeeded = false;
                        boolean stopped = false;
                        try {
                            if (backend.impl() instanceof FilterStage filters
                                    && (stage == JobState.UPSCALE || stage == JobState.INTERPOLATE)) {
                                FilterPlan plan = fusion.plan(job, stage, filters, channel);
                                check.validatePlanned(stage, job, plan.backend(), plan.output(), channel);
                                context.progress().report(1, "planned: runs inside the next ffmpeg run");
                                succeeded = true;
                                return new Attempted(null, plan.backend(), plan.params(), String.join("; ", failures));
                            }
                            Path input = null;
                            if (stage == JobState.UPSCALE || stage == JobState.INTERPOLATE) {
                                Fusion.Source source = fusion.source(job, stage);
                                if (source.fused() && materialized == null) {
                                    materialized = fusion.materialize(source, stage, context, backend.timeout());
                                }
                                input = source.fused() ? materialized : source.file();
                            }
                            StageOutput output = call(job, stage, backend, channel, context, input, from);
                            OutputCheck.checkInsideWorkDir(output.file(), context.workDir());
                            OutputCheck.Measured measured = check.validate(stage, job, output, channel);
                            Map<String, String> params = new LinkedHashMap<>(output.params());
                            params.put(
                                    OutputCheck.MEASURED_SECONDS,
                                    String.format(Locale.ROOT, "%.4f", measured.seconds()));
                            if (measured.shape() != null) {
                                params.put(
                                        OutputCheck.MEASURED_SHAPE,
                                        measured.shape().toString());
                            }
                            if (stage == JobState.SCORE || stage == JobState.SPEAK) {
                                double lufs = mastering.measureLoudness(output.file());
                                if (stage == JobState.SPEAK && Double.isNaN(lufs)) {
                                    throw new StageException(output.backend() + " speak output is silent", false);
                                }
                                params.put(OutputCheck.MEASURED_LUFS, String.format(Locale.ROOT, "%.2f", lufs));
                            }
                            if (!job.continues().isEmpty() && stage == JobState.RENDER) {
                                noteContinuation(job, params, from, continuation, startsFromFrame);
                            }
                            if (reservation != null) {
                                double gpu = output.params().containsKey(StageOutput.GPU_SECONDS)
                                        ? Double.parseDouble(output.params().get(StageOutput.GPU_SECONDS))
                                        : Pipeline.seconds(started);
                                double cost = backend.price().cost(measured.seconds(), gpu);
                                reservation.commit(job.id(), stage, cost);
                                reservation = null;
                                params.put(COST, String.format(Locale.ROOT, "%.4f %s", cost, spending.currency()));
                            }
                            succeeded = true;
                            return new Attempted(output.file(), output.backend(), params, String.join("; ", failures));
                        } catch (InterruptedException e) {
                            stopped = true; // the station stops: not a failure of the backend
                            throw e;
                        } catch (ContentRefusedException e) {
                            failures.add(who + ": " + e.getMessage());
                            throw new ContentRefusedException(String.join("; ", failures), e);
                        } catch (StageException e) {
                            anyRetryable |= e.retryable();
                            failures.add(who + ": " + e.getMessage());
                            Duration asked = e.retryAfter().orElse(null);
                            if (asked != null && (retryAfter == null || asked.compareTo(retryAfter) < 0)) {
                                retryAfter =
                                        asked; // the chain may run again as soon as its most lenient backend allows
                            }
                        } catch (FfmpegException e) {
                            anyRetryable |= !e.diskFull();
                            failures.add(who + ": " + e.getMessage());
                            if (e.diskFull()) {
                                throw new StageException(String.join("; ", failures), false, e);
                            }
                        } catch (IOException e) {
                            anyRetryable = true;
                            failures.add(who + ": " + Pipeline.describe(e));
                        } finally {
                            if (!stopped) {
                                listener.stageTried(job, stage, backend.name(), Pipeline.seconds(started), succeeded);
                            }
                        }
                    }
                } finally {
                    backend.permits().release();
                    if (reservation != null) {
                        reservation.release();
                    }
                }
            }
        } finally {
            if (materialized != null) {
                Files.deleteIfExists(materialized);
            }
        }
        throw new StageException(String.join("; ", failures), anyRetryable, null, retryAfter);
    }

    /** The parameter under which a paid stage's cost is kept, e.g. "0.0200 USD". */
    static final String COST = "cost";

    /** What a continuing shot starts from: the previous shot's last frame and render, if it got that far. */
    private Continuation continuation(ShotJob job) throws SQLException {
        if (job.continues().isEmpty()) {
            return null;
        }
        Path frame = layout.work(job.id()).resolve(CONTINUE_FRAME);
        if (!Files.isRegularFile(frame)) {
            return null;
        }
        ShotJob previous = jobs.find(job.continues()).orElse(null);
        ShotJob.StageRecord render =
                previous == null ? null : previous.outputs().get(JobState.RENDER);
        return new Continuation(
                job.continues(),
                frame,
                previous == null ? "" : previous.plan().prompt(),
                previous == null ? "" : previous.plan().negativePrompt(),
                render == null ? "" : render.backend(),
                render == null ? Map.of() : render.params());
    }

    /** Records which shot the render continues, and how, or why it stood alone. */
    private static void noteContinuation(
            ShotJob job,
            Map<String, String> params,
            Continuation used,
            Continuation available,
            boolean backendContinues) {
        params.put(Continuation.CONTINUES, job.continues());
        if (used != null) {
            params.putIfAbsent(Continuation.HOW, "image-to-video");
        } else if (available == null) {
            params.put(Continuation.HOW, "none: the shot it continues left no last frame (it failed)");
        } else if (backendContinues) {
            params.put(Continuation.HOW, "text-to-video fallback (image to video failed)");
        } else {
            params.put(Continuation.HOW, "text-to-video (this backend takes no start frame)");
        }
    }

    private StageOutput call(
            ShotJob job,
            JobState stage,
            Backend<?> backend,
            ChannelConfig channel,
            StageContext context,
            Path input,
            Continuation continuation)
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
                                        model.fps(),
                                        continuation),
                                context);
            case UPSCALE ->
                ((Upscaler) backend.impl())
                        .upscale(
                                new Upscaler.UpscaleRequest(
                                        input,
                                        plan.prompt(),
                                        plan.negativePrompt(),
                                        plan.seed(),
                                        format.width(),
                                        format.height()),
                                context);
            case INTERPOLATE ->
                ((Interpolator) backend.impl())
                        .interpolate(
                                new Interpolator.InterpolateRequest(input, format.fps(), channel.slowMotion()),
                                context);
            case SCORE ->
                ((Scorer) backend.impl())
                        .score(
                                new Scorer.ScoreRequest(
                                        musicPrompt(plan, channel),
                                        channel.model().seconds() * channel.slowMotion() + 0.5,
                                        plan.seed()),
                                context);
            case SPEAK -> speakFitting(job, (Speaker) backend.impl(), channel, context);
            default -> throw new IllegalStateException(stage.name());
        };
    }

    /** Shortenings of a line tried before the speak stage gives up on it. */
    private static final int MAX_SHORTENINGS = 3;

    /**
     * Speaks the shot's line; when the voice does not fit the clip even {@link
     * NarrationFit#MAX_TEMPO} times faster, shortens the line at a word boundary (by what the
     * measured voice says is too much) and speaks it again. The output's parameters keep the line
     * spoken ({@code text}) and, when it was shortened, the line as written ({@code written}).
     */
    private StageOutput speakFitting(ShotJob job, Speaker speaker, ChannelConfig channel, StageContext context)
            throws IOException, InterruptedException {
        var format = channel.format();
        double clip = format.secondsFor(format.masteredFrames(check.durationOf(job.videoBefore(JobState.MASTER))));
        String written = job.plan().narration();
        String line = written;
        for (int round = 0; ; round++) {
            StageOutput out = speaker.speak(
                    new Speaker.SpeakRequest(
                            line,
                            channel.narration().language(),
                            format.audioRate(),
                            job.plan().seed()),
                    context);
            OutputCheck.checkInsideWorkDir(out.file(), context.workDir());
            double seconds = check.validate(JobState.SPEAK, job, out, channel).seconds();
            if (NarrationFit.place(seconds, clip).isPresent()) {
                Map<String, String> params = new LinkedHashMap<>(out.params());
                params.put(TEXT, line);
                if (!line.equals(written)) {
                    params.put(WRITTEN, written);
                }
                return new StageOutput(out.file(), out.backend(), params);
            }
            Files.deleteIfExists(out.file());
            int words = NarrationLines.words(line).size();
            int fitting = (int) Math.floor(words * NarrationFit.room(clip) * NarrationFit.MAX_TEMPO / seconds);
            String shorter = NarrationLines.shorten(line, Math.min(words - 1, fitting));
            if (shorter.isEmpty() || round >= MAX_SHORTENINGS) {
                throw new StageException(
                        String.format(
                                Locale.ROOT,
                                "the line \"%s\" takes %.2f s to say; the %.2f s clip leaves %.2f s for it, and even"
                                        + " %.1f times faster%s it does not fit",
                                line,
                                seconds,
                                clip,
                                NarrationFit.room(clip),
                                NarrationFit.MAX_TEMPO,
                                line.equals(written) ? "" : " and shortened"),
                        false);
            }
            context.progress().report(-1, "the line is too long for the clip; speaking a shorter one");
            line = shorter;
        }
    }

    /** The parameter under which a speak stage's record keeps the line it spoke (the caption's text). */
    static final String TEXT = "text";
    /** The parameter under which a speak stage's record keeps the line as written, when it was shortened. */
    static final String WRITTEN = "written";

    static String musicPrompt(ShotPlan plan, ChannelConfig channel) {
        return plan.musicPrompt().isBlank() ? channel.musicMood() : plan.musicPrompt();
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : ".bin";
    }
}
