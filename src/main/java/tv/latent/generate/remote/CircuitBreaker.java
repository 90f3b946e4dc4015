package tv.latent.generate.remote;

import java.time.Duration;
import java.time.InstantSource;

/**
 * One endpoint's health. Closed: calls go through. After {@code threshold} retryable failures in a
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
    private final InstantSource clock;
    private State state = State.CLOSED;
    private int failures;
    private long openedAtMillis;
    private boolean trialRunning;

    CircuitBreaker(int threshold, Duration coolDown, InstantSource clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Whether a call may go to the endpoint now; a true answer in half-open state books the one trial. */
    synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED -> {
                return true;
            }
            case OPEN -> {
                if (clock.millis() - openedAtMillis < coolDown.toMillis()) {
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
            case OPEN -> clock.millis() - openedAtMillis >= coolDown.toMillis();
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
            openedAtMillis = clock.millis();
        }
    }

    /** The call ended without saying anything about the endpoint's health (bad input, cancelled). */
    synchronized void neutral() {
        if (state == State.HALF_OPEN) {
            trialRunning = false;
        }
    }

    synchronized State state() {
        if (state == State.OPEN && clock.millis() - openedAtMillis >= coolDown.toMillis()) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
