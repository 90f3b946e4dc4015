package tv.latent.backend.replicate;

import java.util.regex.Pattern;

/**
 * Which model a prediction runs: an official model by name ({@code owner/name}, created with
 * {@code POST /models/{owner}/{name}/predictions}) or a pinned version ({@code POST /predictions}
 * with {@code "version"}).
 *
 * <pre>{@code
 * ReplicateModel wan = ReplicateModel.parse("wan-video/wan-2.2-t2v-fast");
 * ReplicateModel pinned = ReplicateModel.parse("anotherjesse/zeroscope-v2-xl:9f7476...");
 * }</pre>
 *
 * @param owner the model's owner, empty for a bare version id
 * @param name the model's name, empty for a bare version id
 * @param version the version id, empty for an official model
 */
public record ReplicateModel(String owner, String name, String version) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]{8,128}");

    public ReplicateModel {
        if (!version.isEmpty() && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("a Replicate version id is letters and digits, got '" + version + "'");
        }
        if (version.isEmpty() && (!plain(owner) || !plain(name))) {
            throw new IllegalArgumentException("a Replicate model is owner/name, got '" + owner + "/" + name + "'");
        }
    }

    private static boolean plain(String part) {
        return PART.matcher(part).matches() && !part.equals(".") && !part.equals("..");
    }

    /** {@code owner/name} (official model), {@code owner/name:version} or a bare version id. */
    public static ReplicateModel parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.indexOf(':');
        String version = colon < 0 ? "" : t.substring(colon + 1);
        String model = colon < 0 ? t : t.substring(0, colon);
        int slash = model.indexOf('/');
        if (slash < 0) {
            if (!version.isEmpty() || model.isEmpty()) {
                throw new IllegalArgumentException("not a Replicate model: '" + text + "'");
            }
            return new ReplicateModel("", "", model);
        }
        if (model.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("a Replicate model is owner/name, got '" + text + "'");
        }
        return new ReplicateModel(model.substring(0, slash), model.substring(slash + 1), version);
    }

    /** Whether predictions are created by version ({@code POST /predictions}). */
    public boolean pinned() {
        return !version.isEmpty();
    }

    @Override
    public String toString() {
        if (owner.isEmpty()) {
            return version;
        }
        return owner + "/" + name + (version.isEmpty() ? "" : ":" + version);
    }
}
