package tv.latent.backend.gradio;

/**
 * Which of an app's functions to call: by api name ({@code "/run"}) or by {@code fn_index} for
 * handlers without a name (FILM's {@code fn_index 1}).
 *
 * <p>Thread-safety: immutable, safe to share.
 *
 * @param apiName the name with its leading "/", or null
 * @param fnIndex the index, or -1 when called by name
 */
public record Endpoint(String apiName, int fnIndex) {

    public Endpoint {
        if ((apiName == null) == (fnIndex < 0)) {
            throw new IllegalArgumentException("give either an api name or a fn_index >= 0");
        }
        if (apiName != null && !apiName.startsWith("/")) {
            apiName = "/" + apiName;
        }
    }

    /** The endpoint with this api name, with or without the leading "/". */
    public static Endpoint named(String apiName) {
        return new Endpoint(apiName, -1);
    }

    /** The handler with this fn_index. */
    public static Endpoint index(int fnIndex) {
        return new Endpoint(null, fnIndex);
    }

    @Override
    public String toString() {
        return apiName != null ? apiName : "fn_index " + fnIndex;
    }
}
