package tv.latent.generate.remote;

import java.time.Duration;
import java.time.InstantSource;
import tv.latent.time.MonotonicClock;

/**
 * One endpoint's health, on the monotonic clock. Closed: calls go through. After {@code threshold} retryable failures in a
 * row it opens: calls skip the endpoint. After {@code coolDown} it lets one trial call through
 * (half-open); that call's success closes it, its failure opens it again for another cool-down.
 *
 * <p>Thread-safe (every method is synchronized; they are short).
 */
final class CircuitBreaker {
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration coolDown;
    private final MonotonicClock clock;
    private State state = State.CLOSED;
    private int failures;
    private long openedAtNanos;
    private boolean trialRunning;

    /** @param clock a wall clock whose steps count as time passing (tests); see {@link MonotonicClock#following} */
    CircuitBreaker(int threshold, Duration coolDown, InstantSource clock) {
        this(threshold, coolDown, MonotonicClock.following(clock));
    }

    CircuitBreaker(int threshold, Duration coolDown, MonotonicClock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    private boolean cooledDown() {
        return clock.nanos() - openedAtNanos >= coolDown.toNanos();
    }

    /** Whether a call may go to the endpoint now; a true answer in half-open state books the one trial. */
    synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED -> {
                return true;
            }
            case OPEN -> {
                if (!cooledDown()) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialRunning = true;
                return true;
            }
            default -> {
                if (trialRunning) {
                    return false;
                }
                trialRunning = true;
                return true;
            }
        }
    }

    /** Whether {@link #tryAcquire()} would say yes, without booking anything. */
    synchronized boolean available() {
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> cooledDown();
            case HALF_OPEN -> !trialRunning;
        };
    }

    synchronized void success() {
        state = State.CLOSED;
        failures = 0;
        trialRunning = false;
    }

    /** A failure that says the endpoint is unwell (timeout, 5xx, queue full, dropped connection). */
    synchronized void failure() {
        trialRunning = false;
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAtNanos = clock.nanos();
        }
    }

    /** The call ended without saying anything about the endpoint's health (bad input, cancelled). */
    synchronized void neutral() {
        if (state == State.HALF_OPEN) {
            trialRunning = false;
        }
    }

    synchronized State state() {
        if (state == State.OPEN && cooledDown()) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
