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

    /**
     * Whether this renderer can start a shot from the previous shot's last frame (image to video),
     * taking {@link RenderRequest#continuation()}; a renderer that cannot ignores it.
     */
    default boolean continues() {
        return false;
    }

    @Override
    default void close() {}

    /**
     * One shot to render.
     *
     * @param continuation the shot this one continues, or null for a shot of its own
     */
    record RenderRequest(
            String prompt,
            String negativePrompt,
            long seed,
            int width,
            int height,
            int frames,
            int fps,
            Continuation continuation) {

        /** A shot of its own (text to video). */
        public RenderRequest(
                String prompt, String negativePrompt, long seed, int width, int height, int frames, int fps) {
            this(prompt, negativePrompt, seed, width, height, frames, fps, null);
        }

        /** The same shot as text to video: what a continuation falls back to. */
        public RenderRequest alone() {
            return new RenderRequest(prompt, negativePrompt, seed, width, height, frames, fps, null);
        }

        /** The shot's length in seconds at its frame rate. */
        public double seconds() {
            return (double) frames / fps;
        }
    }
}
