package tv.latent.generate.remote;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tv.latent.generate.StageOutput;

/** How every remote stage states what it made: the file, the backend, and the parameters it used. */
final class RemoteOutput {
    private RemoteOutput() {}

    /**
     * The output {@code file} made by {@code backend} with these parameters, kept as the clip's
     * provenance.
     *
     * <pre>{@code
     * return RemoteOutput.of(target, pool.backend(), "seed", seed, "frames", frames);
     * }</pre>
     *
     * @param keysAndValues alternating names and values; a value is kept as its text ("null" for
     *     none)
     * @throws IllegalArgumentException when a name has no value
     */
    static StageOutput of(Path file, String backend, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs: " + keysAndValues.length);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(String.valueOf(keysAndValues[i]), String.valueOf(keysAndValues[i + 1]));
        }
        return new StageOutput(file, backend, params);
    }
}
