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
import tv.latent.generate.FilterPlan;
import tv.latent.generate.FilterStage;
import tv.latent.generate.Intermediate;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.VideoInput;
import tv.latent.generate.VideoShape;
import tv.latent.library.DataLayout;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;

/**
 * Stages made only of ffmpeg filters ({@link FilterStage}: the embedded upscaler and interpolator)
 * do not run on their own. At its turn such a stage is <em>planned</em>: the job records its
 * backend, its parameters, its filters and the shape of the video they make, and moves on. The
 * filters of consecutive planned stages then run inside the next ffmpeg run that needs their
 * video: the master's one encode, or, before a stage that is not filters (a remote upscaler or
 * interpolator), one run that writes that stage's input.
 *
 * <p>Durable boundaries stay where files are made: the render, the score, a remote stage's output.
 * A job killed during the master's run resumes at MASTER from those files and its recorded plans.
 *
 * <p>Stateless apart from its collaborators; thread-safe.
 */
final class Fusion {
    /** The parameter under which a planned stage keeps its filters (instances named after the stage). */
    static final String FILTERS = "fused.filters";
    /** The parameter under which a planned stage keeps the shape of the video its filters make. */
    static final String OUTPUT = "fused.output";

    private final DataLayout layout;
    private final Ffmpeg ffmpeg;

    Fusion(DataLayout layout, Ffmpeg ffmpeg) {
        this.layout = layout;
        this.ffmpeg = ffmpeg;
    }

    /**
     * The video a stage reads: the latest file made before it, and the filters of the stages planned
     * since that file, in order (empty when none).
     *
     * @param planned the planned stages whose filters {@code filters} holds
     * @param shape the shape after those filters, or the file's as measured when it was made; null
     *     when neither is known (a record stored before shapes were kept)
     */
    record Source(Path file, List<JobState> planned, String filters, VideoShape shape) {
        Source {
            planned = List.copyOf(planned);
        }

        boolean fused() {
            return !planned.isEmpty();
        }
    }

    /** What {@code stage} of {@code job} reads. */
    Source source(ShotJob job, JobState stage) throws StageException {
        ShotJob.StageRecord made = null;
        List<JobState> planned = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        VideoShape shape = null;
        for (JobState s : job.order()) {
            if (s == stage) {
                break;
            }
            ShotJob.StageRecord record = job.outputs().get(s);
            if (!s.makesVideo() || record == null) {
                continue;
            }
            if (record.planned()) {
                planned.add(s);
                filters.add(record.params().get(FILTERS));
                shape = VideoShape.parse(record.params().get(OUTPUT));
            } else {
                made = record;
                planned.clear();
                filters.clear();
                String measured = record.params().get(OutputCheck.MEASURED_SHAPE);
                shape = measured == null ? null : VideoShape.parse(measured);
            }
        }
        if (made == null) {
            throw new StageException("no video from an earlier stage to work on", false);
        }
        Path file = layout.resolve(made.file());
        if (!Files.isRegularFile(file)) {
            throw new StageException("the output of an earlier stage is missing: " + made.file(), false);
        }
        return new Source(file, planned, String.join(",", filters), shape);
    }

    /**
     * Plans {@code stage} of {@code job} on a filter stage; the plan's parameters are those of the
     * stage's record-to-be, with its named filters ({@link #FILTERS}) and the shape they make
     * ({@link #OUTPUT}).
     */
    FilterPlan plan(ShotJob job, JobState stage, FilterStage filters, ChannelConfig channel)
            throws IOException, InterruptedException {
        Source source = source(job, stage);
        VideoShape input = source.shape() != null ? source.shape() : VideoInput.shape(ffmpeg, source.file());
        var format = channel.format();
        FilterPlan plan = filters.plan(
                input, new FilterStage.Goal(format.width(), format.height(), format.fps(), channel.slowMotion()));
        Map<String, String> params = new LinkedHashMap<>(plan.params());
        params.put("run", "fused");
        params.put(FILTERS, plan.chain(label(stage)));
        params.put(OUTPUT, plan.output().toString());
        return new FilterPlan(plan.backend(), plan.filters(), plan.output(), params);
    }

    /**
     * Writes what {@code source} describes as a new file in the work directory, for {@code stage}
     * (a stage that is not filters) to read: one ffmpeg run of the planned filters, near-lossless
     * like every intermediate. The caller deletes the file when the stage is done with it.
     */
    Path materialize(Source source, JobState stage, StageContext context, Duration timeout)
            throws IOException, InterruptedException {
        Path target = context.newFile("fused", "mp4");
        try {
            Intermediate.encode(
                    ffmpeg,
                    List.of(
                            "-i",
                            source.file().toString(),
                            "-vf",
                            source.filters(),
                            "-frames:v",
                            Integer.toString(source.shape().frames())),
                    target,
                    timeout,
                    null,
                    null,
                    "the planned " + names(source.planned()) + " for " + label(stage) + " failed");
        } catch (StageException e) {
            throw blame(source, e, e.retryable());
        }
        return target;
    }

    /**
     * A failed run of fused filters, blamed on the planned stage whose named filter ffmpeg's message
     * names, when one does; otherwise {@code failure} as it is.
     */
    IOException blame(Source source, IOException failure, boolean retryable) {
        String message = String.valueOf(failure.getMessage());
        for (JobState stage : source.planned()) {
            if (message.contains("@" + label(stage))) {
                return new FusedStageFailure(
                        stage,
                        "its filters failed inside the fused ffmpeg run: " + message,
                        retryable && !(failure instanceof FfmpegException f && f.diskFull()),
                        failure);
            }
        }
        return failure;
    }

    /** The name a stage's filters carry in a fused graph ({@code interpolate}, {@code upscale}). */
    static String label(JobState stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }

    private static String names(List<JobState> stages) {
        return String.join(" and ", stages.stream().map(Fusion::label).toList());
    }
}
