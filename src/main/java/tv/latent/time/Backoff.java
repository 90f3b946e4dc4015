package tv.latent.time;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter and a cap: the one way LatentTV waits before trying a failing
 * thing again (a stage, a director, a push target, a cut, a model server).
 *
 * <p>The {@code n}-th consecutive failure (from 1) waits {@code first × 2^(n-1)}, capped at
 * {@code max}, then scaled by a random factor in {@code [1 - jitter, 1]} so that many loops that
 * failed together do not retry together. A server's own {@code Retry-After} wins when it asks
 * for longer (never beyond the cap).
 *
 * <pre>{@code
 * Backoff backoff = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5));
 * Duration wait = backoff.delay(failures);              // after the failures-th failure in a row
 * Duration polite = backoff.delay(failures, retryAfter); // at least what the server asked, up to the cap
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param first the wait after the first failure
 * @param max no wait is longer
 * @param jitter the fraction of each wait that is random, 0 (none) to 1
 */
public record Backoff(Duration first, Duration max, double jitter) {
    /** The default jitter: each wait is between 80 % and 100 % of its nominal length. */
    public static final double DEFAULT_JITTER = 0.2;

    public Backoff {
        if (first.isNegative() || max.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= first <= max, got " + first + " and " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
        }
    }

    /** A backoff with the default jitter. */
    public static Backoff of(Duration first, Duration max) {
        return new Backoff(first, max, DEFAULT_JITTER);
    }

    /** The nominal wait after the {@code failures}-th failure in a row, before jitter: never above {@link #max}. */
    public Duration nominal(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long firstNanos = first.toNanos();
        long maxNanos = max.toNanos();
        int doublings = Math.min(failures - 1, 62);
        long nanos = firstNanos == 0 ? 0 : firstNanos > maxNanos >> doublings ? maxNanos : firstNanos << doublings;
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** The wait after the {@code failures}-th failure in a row, with jitter. */
    public Duration delay(int failures) {
        long nanos = nominal(failures).toNanos();
        if (nanos == 0 || jitter == 0) {
            return Duration.ofNanos(nanos);
        }
        double factor = 1 - jitter * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos(Math.max(1, (long) (nanos * factor)));
    }

    /**
     * The wait after the {@code failures}-th failure in a row when the other side said how long to
     * wait ({@code retryAfter}, null when it did not): the longer of the two, never above the cap.
     */
    public Duration delay(int failures, Duration retryAfter) {
        Duration ours = delay(failures);
        if (retryAfter == null || retryAfter.compareTo(ours) <= 0) {
            return ours;
        }
        return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
}
