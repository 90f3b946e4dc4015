package tv.latent.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tv.latent.config.ChannelConfig;
import tv.latent.generate.SpeechAudio;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.VideoShape;
import tv.latent.library.DataLayout;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;
import tv.latent.media.MediaInfo;

/**
 * The checks every stage output passes before a job moves on: a file inside the job's work
 * directory, readable media of the right kind, about the expected length, size and rate; a planned
 * stage's output shape passes the same length, size and rate checks.
 * Failures are {@link StageException}s that retrying the same backend cannot fix.
 *
 * <p>Stateless apart from its collaborators; thread-safe.
 */
final class OutputCheck {
    /** The parameter under which a stage record keeps the output's measured length. */
    static final String MEASURED_SECONDS = "measured.seconds";
    /** The parameter under which a video stage's record keeps the output's measured {@link VideoShape}. */
    static final String MEASURED_SHAPE = "measured.shape";
    /** The parameter under which a score's record keeps the music's integrated loudness (LUFS), for the master's gain. */
    static final String MEASURED_LUFS = "measured.lufs";

    private final DataLayout layout;
    private final Ffmpeg ffmpeg;

    OutputCheck(DataLayout layout, Ffmpeg ffmpeg) {
        this.layout = layout;
        this.ffmpeg = ffmpeg;
    }

    static void checkInsideWorkDir(Path file, Path workDir) throws StageException {
        if (!file.toAbsolutePath()
                .normalize()
                .startsWith(workDir.toAbsolutePath().normalize())) {
            throw new StageException("backend wrote its output outside the job's work directory: " + file, false);
        }
    }

    /**
     * What was measured of an accepted output.
     *
     * @param shape the video's shape, or null for audio (or a video whose shape ffprobe could not tell)
     */
    record Measured(double seconds, VideoShape shape) {}

    /** Rejects outputs that are not usable media, with a reason a person can act on; returns what it measured. */
    Measured validate(JobState stage, ShotJob job, StageOutput output, ChannelConfig channel)
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
            info = ffmpeg.probeUntrusted(file); // may come from a model server: limits before decoding
        } catch (FfmpegException e) {
            throw new StageException(who + " is not readable media: " + e.getMessage(), false, e);
        }
        if (stage == JobState.SPEAK) {
            var audio = info.audio().orElseThrow(() -> new StageException(who + " has no audio stream", false));
            if (audio.channels() != 1 || audio.sampleRate() != channel.format().audioRate()) {
                throw new StageException(
                        who + " is " + audio.channels() + " channels at " + audio.sampleRate()
                                + " Hz; a voice is mono at " + channel.format().audioRate() + " Hz",
                        false);
            }
            double seconds = audio.durationSeconds() > 0 ? audio.durationSeconds() : info.durationSeconds();
            if (seconds < 0.15 || seconds > SpeechAudio.MAX_SECONDS) {
                throw new StageException(
                        String.format(
                                Locale.ROOT,
                                "%s lasts %.2f s; a voice lasts 0.15 to %.0f s",
                                who,
                                seconds,
                                SpeechAudio.MAX_SECONDS),
                        false);
            }
            return new Measured(seconds, null);
        }
        if (stage == JobState.SCORE) {
            var audio = info.audio().orElseThrow(() -> new StageException(who + " has no audio stream", false));
            double seconds = audio.durationSeconds() > 0 ? audio.durationSeconds() : info.durationSeconds();
            if (seconds < 0.5) {
                throw new StageException(
                        String.format(Locale.ROOT, "%s lasts %.2f s; at least 0.5 s is needed", who, seconds), false);
            }
            return new Measured(seconds, null);
        }
        var video = info.video()
                .orElseThrow(() -> new StageException(
                        who + " has no video stream" + (info.audio().isPresent() ? " (audio only)" : ""), false));
        double seconds = checkVideo(
                who,
                stage,
                job,
                video.frames(),
                info.videoSeconds(),
                video.width(),
                video.height(),
                video.fps(),
                channel);
        boolean shaped = video.fps() > 0 && video.width() > 0 && video.height() > 0;
        return new Measured(seconds, shaped ? VideoShape.of(video) : null);
    }

    /**
     * Checks what a planned stage's filters will make as {@link #validate} checks a made file;
     * returns its seconds.
     */
    double validatePlanned(JobState stage, ShotJob job, String backend, VideoShape shape, ChannelConfig channel)
            throws IOException, InterruptedException {
        String who = backend + " " + stage.name().toLowerCase(Locale.ROOT) + " plan";
        return checkVideo(
                who, stage, job, shape.frames(), shape.seconds(), shape.width(), shape.height(), shape.fps(), channel);
    }

    private double checkVideo(
            String who,
            JobState stage,
            ShotJob job,
            long frames,
            double seconds,
            int width,
            int height,
            double fps,
            ChannelConfig channel)
            throws IOException, InterruptedException {
        if (frames < 2) {
            throw new StageException(who + " has " + frames + " decodable frames", false);
        }
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
                && (width != channel.format().width()
                        || height != channel.format().height())) {
            throw new StageException(
                    who + " is " + width + "x" + height + ", expected "
                            + channel.format().width() + "x" + channel.format().height(),
                    false);
        }
        if (stage == JobState.INTERPOLATE && Math.abs(fps - channel.format().fps()) > 0.05) {
            throw new StageException(
                    String.format(
                            Locale.ROOT,
                            "%s runs at %.2f fps, expected %d",
                            who,
                            fps,
                            channel.format().fps()),
                    false);
        }
        return seconds;
    }

    /** A stage output's length as measured when it was accepted (probed again only for records stored before that). */
    double durationOf(ShotJob.StageRecord record) throws IOException, InterruptedException {
        if (record == null) {
            return 0;
        }
        if (record.planned()) {
            return VideoShape.parse(record.params().get(Fusion.OUTPUT)).seconds();
        }
        String measured = record.params().get(MEASURED_SECONDS);
        return measured != null
                ? Double.parseDouble(measured)
                : ffmpeg.probe(layout.resolve(record.file())).videoSeconds();
    }
}
