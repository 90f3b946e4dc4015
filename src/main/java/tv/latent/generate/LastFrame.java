package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tv.latent.media.Ffmpeg;

/**
 * Extracts the last frame of a video as a PNG: what the next shot of a sequence starts from.
 * Stateless and thread-safe.
 */
public final class LastFrame {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private LastFrame() {}

    /**
     * Writes {@code video}'s last decodable frame to {@code png} (through a temporary sibling, so a
     * failed run leaves no file).
     */
    public static Path extract(Ffmpeg ffmpeg, Path video, Path png) throws IOException, InterruptedException {
        Path part = png.resolveSibling(png.getFileName() + ".part.png");
        try {
            // from one second before the end, each decoded frame overwrites the image: the last one stays
            ffmpeg.run(
                    List.of(
                            "-sseof",
                            "-1",
                            "-i",
                            video.toString(),
                            "-an",
                            "-update",
                            "1",
                            "-pix_fmt",
                            "rgb24",
                            part.toString()),
                    TIMEOUT,
                    null,
                    null);
            if (!Files.isRegularFile(part) || Files.size(part) == 0) {
                throw new StageException("no frame could be read from the end of " + video.getFileName(), false);
            }
            Intermediate.publish(part, png);
            return png;
        } finally {
            Intermediate.discard(part);
        }
    }
}
