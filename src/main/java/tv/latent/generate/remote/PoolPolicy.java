package tv.latent.generate.remote;

import java.time.Duration;
import tv.latent.time.Backoff;

/**
 * How an {@link EndpointPool} treats its endpoints.
 *
 * @param retries further tries of a call after a retryable failure (0 = try once)
 * @param backoff wait before the first retry; doubles for each later one (at most 1024 times it)
 * @param breakerFailures retryable failures in a row that open an endpoint's circuit
 * @param breakerCoolDown how long an open circuit keeps its endpoint out before one trial call
 * @param jitter the random share of each wait, 0 to 1 (see {@link Backoff}), so that calls that
 *     failed together do not all come back together
 */
public record PoolPolicy(int retries, Duration backoff, int breakerFailures, Duration breakerCoolDown, double jitter) {
    public static final PoolPolicy DEFAULT =
            new PoolPolicy(2, Duration.ofSeconds(2), 3, Duration.ofSeconds(60), Backoff.DEFAULT_JITTER);

    /** The longest wait between tries, as a multiple of {@link #backoff}. */
    private static final int MAX_DOUBLINGS = 10;

    public PoolPolicy {
        if (retries < 0
                || breakerFailures < 1
                || backoff.isNegative()
                || breakerCoolDown.isNegative()
                || !(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("bad pool policy " + retries + ", " + backoff + ", " + breakerFailures
                    + ", " + breakerCoolDown + ", jitter " + jitter);
        }
    }

    /** A policy without jitter: every wait is exactly its nominal length. */
    public PoolPolicy(int retries, Duration backoff, int breakerFailures, Duration breakerCoolDown) {
        this(retries, backoff, breakerFailures, breakerCoolDown, 0);
    }

    /** The waits between tries: {@link #backoff} doubling up to 1024 times it, with {@link #jitter}. */
    Backoff waits() {
        return new Backoff(backoff, backoff.multipliedBy(1L << MAX_DOUBLINGS), jitter);
    }
}
