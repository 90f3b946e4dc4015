package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Video to a higher frame rate by making in-between frames. With {@code slowMotion} above 1 the
 * result also lasts that many times longer. Thread-safe, like every stage.
 */
public interface Interpolator extends AutoCloseable {
    StageOutput interpolate(InterpolateRequest request, StageContext context) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /** One video to bring to {@code fps}, stretched in time by {@code slowMotion} (1 = same length). */
    record InterpolateRequest(Path input, int fps, double slowMotion) {}
}
