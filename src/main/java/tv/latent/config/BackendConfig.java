package tv.latent.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A named backend: its type, the stage it serves, how many calls it may run at once, how long one
 * call may take, its type-specific options (validated against {@link BackendType}) and its price.
 * Secrets are not here: options may name an environment variable ({@code tokenEnv}) whose value is
 * read at start.
 */
public record BackendConfig(
        String name,
        BackendType type,
        int concurrency,
        Duration timeout,
        int retries,
        Map<String, Object> options,
        Price price) {
    public BackendConfig {
        options = Map.copyOf(options);
        price = price == null ? Price.FREE : price;
    }

    /** A free backend. */
    public BackendConfig(
            String name,
            BackendType type,
            int concurrency,
            Duration timeout,
            int retries,
            Map<String, Object> options) {
        this(name, type, concurrency, timeout, retries, options, Price.FREE);
    }

    /** A mapping option ({@code input}, {@code extra}), empty when absent. */
    @SuppressWarnings("unchecked") // the loader stores mapping options as Map<String, Object>
    public Map<String, Object> mapOption(String key) {
        return options.get(key) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    public StageKind stage() {
        return type.stage();
    }

    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key)).map(Object::toString);
    }

    public String option(String key, String fallback) {
        return option(key).orElse(fallback);
    }

    public int intOption(String key, int fallback) {
        Object value = options.get(key);
        return value instanceof Number n ? n.intValue() : fallback;
    }

    public double doubleOption(String key, double fallback) {
        Object value = options.get(key);
        return value instanceof Number n ? n.doubleValue() : fallback;
    }

    public boolean boolOption(String key, boolean fallback) {
        Object value = options.get(key);
        return value instanceof Boolean b ? b : fallback;
    }
}
