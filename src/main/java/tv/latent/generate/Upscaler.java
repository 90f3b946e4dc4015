package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Video to a larger size, given the prompt the video was made from (a diffusion upscaler such as
 * Zeroscope XL needs the same prompt). Thread-safe, like every stage.
 */
public interface Upscaler extends AutoCloseable {
    StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /** One video to upscale to {@code width}×{@code height}. */
    record UpscaleRequest(Path input, String prompt, String negativePrompt, long seed, int width, int height) {}
}
