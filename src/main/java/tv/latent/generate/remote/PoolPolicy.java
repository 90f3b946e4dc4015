package tv.latent.generate.remote;

import java.time.Duration;

/**
 * How an {@link EndpointPool} treats its endpoints.
 *
 * @param retries further tries of a call after a retryable failure (0 = try once)
 * @param backoff wait before the first retry; doubles for each later one
 * @param breakerFailures retryable failures in a row that open an endpoint's circuit
 * @param breakerCoolDown how long an open circuit keeps its endpoint out before one trial call
 */
public record PoolPolicy(int retries, Duration backoff, int breakerFailures, Duration breakerCoolDown) {
    public static final PoolPolicy DEFAULT = new PoolPolicy(2, Duration.ofSeconds(2), 3, Duration.ofSeconds(60));

    public PoolPolicy {
        if (retries < 0 || breakerFailures < 1 || backoff.isNegative() || breakerCoolDown.isNegative()) {
            throw new IllegalArgumentException(
                    "bad pool policy " + retries + ", " + backoff + ", " + breakerFailures + ", " + breakerCoolDown);
        }
    }
}
