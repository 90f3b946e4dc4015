package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * Checks a stage's input video before ffmpeg is asked to work on it; shared by the in-process
 * stages here and the remote stage adapters. Stateless and thread-safe.
 */
public final class VideoInput {
    private VideoInput() {}

    /** Probes {@code file}; a missing file or one without video is a stage failure no retry can fix. */
    public static MediaInfo probe(Ffmpeg ffmpeg, Path file) throws IOException, InterruptedException {
        if (file == null || !Files.isRegularFile(file)) {
            throw new StageException("input video " + file + " does not exist", false);
        }
        MediaInfo info;
        try {
            info = ffmpeg.probe(file);
        } catch (IOException e) {
            throw new StageException(
                    "input " + file.getFileName() + " is not readable media: " + e.getMessage(), false, e);
        }
        if (info.video().isEmpty() || info.video().get().frames() < 1) {
            throw new StageException("input " + file.getFileName() + " has no video frames", false);
        }
        return info;
    }

    /** Probes {@code file} for its {@link VideoShape}; a video without a frame rate fails like one without frames. */
    public static VideoShape shape(Ffmpeg ffmpeg, Path file) throws IOException, InterruptedException {
        MediaInfo.Video video = probe(ffmpeg, file).video().orElseThrow();
        if (!(video.fps() > 0) || video.width() < 1 || video.height() < 1) {
            throw new StageException("input " + file.getFileName() + " has no frame rate or size", false);
        }
        return VideoShape.of(video);
    }
}
