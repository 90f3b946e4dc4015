package tv.latent.generate;

import java.util.Locale;

/**
 * How the embedded interpolator makes in-between frames.
 *
 * <p>{@link #MOTION_COMPENSATED} estimates motion (ffmpeg {@code minterpolate} mci): smooth, but
 * single-threaded and slow (about 1.6 s of one core for 3 s at 576×320, 6 s at 1024×576).
 * {@link #BLEND} cross-fades neighbouring frames: several times cheaper, visibly softer.
 */
public enum InterpolationMode {
    MOTION_COMPENSATED("mci"),
    BLEND("blend");

    private final String configName;

    InterpolationMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files: "mci" or "blend". */
    public String configName() {
        return configName;
    }

    /** Reads a configuration value ("mci" or "blend", any case). */
    public static InterpolationMode parse(String value) {
        for (InterpolationMode mode : values()) {
            if (mode.configName.equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("interpolation mode must be \"mci\" or \"blend\", got \"" + value + "\"");
    }
}
