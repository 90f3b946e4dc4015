package tv.latent.generate.remote;

import java.util.List;

/**
 * A remote stage whose endpoints each have a circuit breaker ({@link EndpointPool}): their states,
 * for metrics.
 *
 * <pre>{@code
 * if (stage instanceof Circuits c) {
 *   List<EndpointPool.Circuit> states = c.circuits(); // endpoint 0, 1, ... in configuration order
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Circuits {
    /** The circuit of each endpoint, in configuration order. */
    List<EndpointPool.Circuit> circuits();
}
