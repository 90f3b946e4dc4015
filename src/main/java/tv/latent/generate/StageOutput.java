package tv.latent.generate;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a stage made: a media file in the job's work directory, the backend that made it and the
 * parameters it used (kept as the clip's provenance).
 */
public record StageOutput(Path file, String backend, Map<String, String> params) {
    /**
     * The parameter under which a backend that knows it reports the GPU time it was billed
     * (seconds), for budgets priced per GPU-second.
     */
    public static final String GPU_SECONDS = "gpu.seconds";

    public StageOutput {
        params = Map.copyOf(params);
    }
}
