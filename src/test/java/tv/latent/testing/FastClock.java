package tv.latent.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import tv.latent.station.StationTime;
import tv.latent.time.MonotonicClock;

/**
 * Time that runs {@code speedUp} times faster than real time, from a fixed instant, and stands
 * still when told: wall and monotonic time advance together (both are read from {@link
 * System#nanoTime()}), and {@link #realNanos} divides by the speed-up, so every loop of a station
 * on this clock sleeps the real time its clock time stands for. A station on it lives a simulated
 * month in minutes.
 *
 * <pre>{@code
 * FastClock clock = new FastClock(Instant.parse("2030-01-01T00:00:00Z"), 10_000); // standing still
 * try (Station station = Station.start(config, Station.Options.serving(0).withTime(clock.stationTime()))) {
 *   clock.run();                           // the station's time starts once it is up
 *   clock.sleepUntil(Duration.ofDays(1));  // about 8.6 s later
 *   clock.hold();                          // measure without time passing
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FastClock implements InstantSource, MonotonicClock {
    private final Instant start;
    private final long speedUp;
    private volatile State state = new State(0, 0, false);

    /** Clock time at the last change ({@code base}), the real time it was made, and whether it runs since. */
    private record State(long base, long realAnchor, boolean running) {}

    /** A clock standing still at {@code start} until {@link #run()}. */
    public FastClock(Instant start, long speedUp) {
        if (speedUp < 1) {
            throw new IllegalArgumentException("speedUp must be at least 1, got " + speedUp);
        }
        this.start = start;
        this.speedUp = speedUp;
    }

    /** Both clocks of a station on this time. */
    public StationTime stationTime() {
        return new StationTime(this, this);
    }

    /** Time moves on, {@code speedUp} times faster than real time. */
    public synchronized void run() {
        if (!state.running()) {
            state = new State(state.base(), System.nanoTime(), true);
        }
    }

    /** Time stands still (everything that waits on it waits on) until {@link #run()}. */
    public synchronized void hold() {
        if (state.running()) {
            state = new State(nanos(), 0, false);
        }
    }

    /** Clock time since {@code start}. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos());
    }

    /** Sleeps until {@code elapsed} of clock time has passed since {@code start} (at once if it has); the clock must run. */
    public void sleepUntil(Duration elapsed) throws InterruptedException {
        long left = elapsed.toNanos() - nanos();
        while (left > 0) {
            sleep(Duration.ofNanos(left));
            left = elapsed.toNanos() - nanos();
        }
    }

    @Override
    public long nanos() {
        State s = state;
        return s.running() ? s.base() + Math.multiplyExact(System.nanoTime() - s.realAnchor(), speedUp) : s.base();
    }

    @Override
    public long realNanos(long nanos) {
        return Math.ceilDiv(nanos, speedUp);
    }

    @Override
    public long nanosDuring(long realNanos) {
        return Math.multiplyExact(realNanos, speedUp);
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos());
    }

    @Override
    public String toString() {
        return "FastClock[" + speedUp + "x from " + start + ", now " + instant() + "]";
    }
}
