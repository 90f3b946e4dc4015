package tv.latent.backend.a1111;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Judges a video the server returned, before the client hands it to the caller. The extension
 * answers 200 with a small placeholder video when generation fails inside; a check that probes
 * the file (with ffprobe, say) and compares its size and frame count with the request turns that
 * into an {@link A1111Exception.Kind#PLACEHOLDER_VIDEO} error. The client itself never probes.
 *
 * <pre>{@code
 * VideoCheck sizeCheck = (video, request) -> {
 *   Probe p = ffprobe(video);
 *   return p.width() == request.width() && p.height() == request.height()
 *       ? Optional.empty()
 *       : Optional.of("got " + p.width() + "x" + p.height());
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe when the client is shared between threads.
 */
@FunctionalInterface
public interface VideoCheck {

    /** Accepts every video. */
    VideoCheck NONE = (video, request) -> Optional.empty();

    /**
     * Returns empty when {@code video} is what {@code request} asked for, else why it is not.
     * {@code video} is the downloaded file before it is moved to the caller's target (its name
     * ends in {@code .part}); a rejected video never reaches the target.
     *
     * @throws IOException when the video cannot be inspected (reported as a local I/O failure)
     */
    Optional<String> problem(Path video, T2vRequest request) throws IOException;
}
