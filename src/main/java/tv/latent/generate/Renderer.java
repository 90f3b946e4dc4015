package tv.latent.generate;

import java.io.IOException;

/**
 * Text to video at the model's native size and length (Zeroscope: 576×320, 24 frames, 8 fps).
 * Implementations must be thread-safe: the pipeline calls them from several jobs at once,
 * within the backend's concurrency limit.
 */
public interface Renderer extends AutoCloseable {
    /** Renders one shot into a new file in the context's work directory. */
    StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /** One shot to render. */
    record RenderRequest(String prompt, String negativePrompt, long seed, int width, int height, int frames, int fps) {}
}
