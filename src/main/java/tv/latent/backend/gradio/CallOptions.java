package tv.latent.backend.gradio;

import java.time.Duration;
import java.util.Objects;

/**
 * How to run one call.
 *
 * <p>Thread-safety: immutable, safe to share.
 *
 * @param timeout the overall limit, from submit to result; heartbeats do not extend it
 * @param listener receives queue position, progress and logs
 * @param forceSimpleCall use the two-step {@code /call/{api_name}} API (Gradio 4.20+) instead of
 *     the queue protocol the config announces
 */
public record CallOptions(Duration timeout, CallListener listener, boolean forceSimpleCall) {

    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(listener, "listener");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** A call limited to {@code timeout}, no listener, transport chosen from the config. */
    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, CallListener.NONE, false);
    }

    /** The same options with this listener. */
    public CallOptions withListener(CallListener newListener) {
        return new CallOptions(timeout, newListener, forceSimpleCall);
    }

    /** The same options using the two-step {@code /call} API. */
    public CallOptions withSimpleCall() {
        return new CallOptions(timeout, listener, true);
    }
}
