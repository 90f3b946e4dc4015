package tv.latent.backend.a1111;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The videos one {@code /t2v/run} call wrote, in the server's order (one per batch count).
 *
 * <p>A 200 answer does not prove the render worked: the extension answers 200 with a placeholder
 * error video when generation fails inside. Probe the files (size, frame count, duration), or give
 * the client a {@link VideoCheck}.
 *
 * @param videos the files written, the first one at the caller's target path
 * @param bytes total size of the files
 * @param elapsed time from sending the request to the last byte written
 */
public record T2vResult(List<Path> videos, long bytes, Duration elapsed) {
    public T2vResult {
        videos = List.copyOf(videos);
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("a result has at least one video");
        }
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The first (usually the only) video: the caller's target path. */
    public Path video() {
        return videos.getFirst();
    }
}
