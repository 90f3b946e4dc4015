package tv.latent.time;

import java.time.Duration;
import java.time.InstantSource;

/**
 * A clock that only moves forward, for deadlines, backoffs and anything measured as "how long
 * since": it ignores steps of the wall clock (NTP corrections, an operator's {@code date -s}).
 * Production uses {@link #system()} ({@link System#nanoTime()}); tests step their own.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface MonotonicClock {
    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanos();

    /**
     * How long to really wait for {@code nanos} of this clock to pass: the same, except for a test
     * clock that runs faster than real time (a simulated month in minutes).
     */
    default long realNanos(long nanos) {
        return nanos;
    }

    /**
     * How much of this clock passes while {@code realNanos} of real time do: the inverse of
     * {@link #realNanos}. For margins that real work needs whatever the clock (a decision made ahead
     * of the live edge must leave the thread that makes it time to run).
     */
    default long nanosDuring(long realNanos) {
        return realNanos;
    }

    /** Sleeps until {@code duration} of this clock has passed (in real time, {@link #realNanos} of it). */
    default void sleep(Duration duration) throws InterruptedException {
        long real = realNanos(duration.toNanos());
        if (real > 0) {
            Thread.sleep(Duration.ofNanos(real));
        }
    }

    /** {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return System::nanoTime;
    }

    /**
     * A monotonic clock that follows a wall clock (its milliseconds, as nanoseconds). For tests and
     * tools that drive time by moving a wall clock only: a step of that clock is then seen as time
     * passing, not as a step.
     */
    static MonotonicClock following(InstantSource wall) {
        if (wall.equals(InstantSource.system())) {
            return system();
        }
        return () -> Math.multiplyExact(wall.millis(), 1_000_000L);
    }
}
