package tv.latent.config;

import java.util.Locale;

/**
 * What one call of a backend costs, in the station's currency unit: a fixed part per call, a part
 * per second of output, and a part per GPU-second (as the service reports it, else the call's own
 * length). Free when all three are zero, which every embedded and self-hosted backend is unless
 * its YAML says otherwise.
 *
 * @param perCall charged for every successful call
 * @param perSecond charged per second of media the call made
 * @param perGpuSecond charged per GPU-second the call used
 */
public record Price(double perCall, double perSecond, double perGpuSecond) {
    public static final Price FREE = new Price(0, 0, 0);

    public Price {
        if (!(perCall >= 0 && perSecond >= 0 && perGpuSecond >= 0)
                || Double.isInfinite(perCall + perSecond + perGpuSecond)) {
            throw new IllegalArgumentException(
                    "prices must be finite and 0 or more: " + perCall + ", " + perSecond + ", " + perGpuSecond);
        }
    }

    public boolean paid() {
        return perCall > 0 || perSecond > 0 || perGpuSecond > 0;
    }

    /** The cost of a call that made {@code outputSeconds} of media using {@code gpuSeconds}. */
    public double cost(double outputSeconds, double gpuSeconds) {
        return perCall + perSecond * Math.max(0, outputSeconds) + perGpuSecond * Math.max(0, gpuSeconds);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f/call + %.4f/s + %.4f/GPU-s", perCall, perSecond, perGpuSecond);
    }
}
