package tv.latent.config;

/**
 * Spend caps over a rolling hour and a rolling day, in the station's currency unit; infinite for
 * no cap. A channel has its own, and the station one over all channels.
 */
public record Budget(double hourly, double daily) {
    public static final Budget UNLIMITED = new Budget(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Budget {
        if (!(hourly >= 0) || !(daily >= 0)) {
            throw new IllegalArgumentException("budget caps must be 0 or more: " + hourly + ", " + daily);
        }
    }

    public boolean limited() {
        return !Double.isInfinite(hourly) || !Double.isInfinite(daily);
    }
}
