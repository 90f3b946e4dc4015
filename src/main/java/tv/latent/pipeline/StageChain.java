package tv.latent.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tv.latent.config.ChannelConfig;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.library.DataLayout;
import tv.latent.media.FfmpegException;

/**
 * Runs one generation stage of a job along the channel's fallback chain: each backend in turn,
 * within its concurrency permits, until one makes an output that passes the {@link OutputCheck}.
 *
 * <p>Thread-safe: it keeps no state of its own; backends bound their own concurrency.
 */
final class StageChain {
    private final DataLayout layout;
    private final OutputCheck check;
    private final PipelineListener listener;

    /** @param listener hears each backend's try ({@link PipelineListener#stageTried}) */
    StageChain(DataLayout layout, OutputCheck check, PipelineListener listener) {
        this.layout = layout;
        this.check = check;
        this.listener = listener;
    }

    /** A usable output and, when earlier backends of the chain failed first, why. */
    record Attempted(StageOutput output, String fallback) {}

    /** Tries each backend of the stage's chain in turn; the first usable output wins. */
    Attempted attempt(ShotJob job, JobState stage, ChannelStages stages, StageContext context)
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
        Duration retryAfter = null;
        for (Backend<?> backend : chain) {
            backend.permits().acquire();
            long started = System.nanoTime();
            boolean succeeded = false;
            boolean stopped = false;
            try {
                StageOutput output = call(job, stage, backend, channel, context);
                OutputCheck.checkInsideWorkDir(output.file(), context.workDir());
                double seconds = check.validate(stage, job, output, channel);
                Map<String, String> params = new LinkedHashMap<>(output.params());
                params.put(OutputCheck.MEASURED_SECONDS, String.format(Locale.ROOT, "%.4f", seconds));
                succeeded = true;
                return new Attempted(
                        new StageOutput(output.file(), output.backend(), params), String.join("; ", failures));
            } catch (InterruptedException e) {
                stopped = true; // the station stops: not a failure of the backend
                throw e;
            } catch (StageException e) {
                anyRetryable |= e.retryable();
                failures.add(backend.name() + ": " + e.getMessage());
                Duration asked = e.retryAfter().orElse(null);
                if (asked != null && (retryAfter == null || asked.compareTo(retryAfter) < 0)) {
                    retryAfter = asked; // the chain may run again as soon as its most lenient backend allows
                }
            } catch (FfmpegException e) {
                anyRetryable |= !e.diskFull();
                failures.add(backend.name() + ": " + e.getMessage());
                if (e.diskFull()) {
                    throw new StageException(String.join("; ", failures), false, e);
                }
            } catch (IOException e) {
                anyRetryable = true;
                failures.add(backend.name() + ": " + Pipeline.describe(e));
            } finally {
                backend.permits().release();
                if (!stopped) {
                    listener.stageTried(job, stage, backend.name(), Pipeline.seconds(started), succeeded);
                }
            }
        }
        throw new StageException(String.join("; ", failures), anyRetryable, null, retryAfter);
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

    static String musicPrompt(ShotPlan plan, ChannelConfig channel) {
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
}
