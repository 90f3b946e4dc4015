package tv.latent.generate;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a stage made: a media file in the job's work directory, the backend that made it and the
 * parameters it used (kept as the clip's provenance).
 */
public record StageOutput(Path file, String backend, Map<String, String> params) {
    public StageOutput {
        params = Map.copyOf(params);
    }
}
