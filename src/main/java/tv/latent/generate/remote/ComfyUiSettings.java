package tv.latent.generate.remote;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A ComfyUI backend's workflows and the values LatentTV puts into their placeholders besides the shot.
 *
 * @param workflow an API-format workflow file with {@code {{prompt}}}-style placeholders
 * @param imageWorkflow an image-to-video workflow whose {@code {{input_image}}} takes the previous
 *     shot's last frame, for shots that continue each other; null for none
 */
public record ComfyUiSettings(
        Path workflow, int steps, double cfg, double denoise, Duration timeout, Path imageWorkflow) {

    /** Settings without an image-to-video workflow. */
    public ComfyUiSettings(Path workflow, int steps, double cfg, double denoise, Duration timeout) {
        this(workflow, steps, cfg, denoise, timeout, null);
    }
}
