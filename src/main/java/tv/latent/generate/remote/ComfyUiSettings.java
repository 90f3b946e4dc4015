package tv.latent.generate.remote;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A ComfyUI backend's workflow and the values LatentTV puts into its placeholders besides the shot.
 *
 * @param workflow an API-format workflow file with {@code {{prompt}}}-style placeholders
 */
public record ComfyUiSettings(Path workflow, int steps, double cfg, double denoise, Duration timeout) {}
