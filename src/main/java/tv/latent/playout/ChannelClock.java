package tv.latent.playout;

import java.time.Instant;
import java.time.InstantSource;
import java.util.OptionalLong;
import tv.latent.time.MonotonicClock;

/**
 * A channel's time: 90 kHz ticks since its epoch, the clock of MPEG-TS and of its timeline.
 *
 * <p>Ticks advance with the monotonic clock and never go back, so a step of the wall clock (NTP
 * correcting a clock that ran fast, an operator's {@code date -s}, a laptop waking up) can never
 * rewind or empty a playlist. The wall clock only says which instant a tick stands for: when it
 * has stepped by more than {@link #STEP_TOLERANCE_TICKS}, {@link #resync()} moves the epoch by the
 * step, so ticks go on without a break and the instants shown (program date-time, now playing)
 * follow the corrected wall clock.
 *
 * <p>Thread-safe.
 */
final class ChannelClock {
    /** A wall clock further than this from the channel's ticks has stepped: one second. */
    static final long STEP_TOLERANCE_TICKS = 90_000;

    /**
     * The wall clock and the monotonic clock are read one after the other: on a clock that runs
     * thousands of times faster than real time (a simulated month), a thread paused between the
     * two reads would look like a step of seconds, so the tolerance is at least this much real time.
     */
    static final long MIN_REAL_TOLERANCE_NANOS = 250_000_000L;

    private final InstantSource wall;
    private final MonotonicClock monotonic;
    private final long toleranceTicks;
    private long epochMs;
    private long anchorTicks;
    private long anchorNanos;
    private long lastTicks;

    ChannelClock(InstantSource wall, MonotonicClock monotonic, long epochMs) {
        this.wall = wall;
        this.monotonic = monotonic;
        this.toleranceTicks =
                Math.max(STEP_TOLERANCE_TICKS, monotonic.nanosDuring(MIN_REAL_TOLERANCE_NANOS) / 100_000 * 9);
        this.epochMs = epochMs;
        this.anchorNanos = monotonic.nanos();
        this.anchorTicks = wallTicks();
        this.lastTicks = anchorTicks;
    }

    /** Ticks now: never less than any earlier answer. */
    synchronized long ticks() {
        long elapsed = monotonic.nanos() - anchorNanos;
        long ticks = anchorTicks + elapsed / 100_000 * 9 + elapsed % 100_000 * 9 / 100_000;
        if (ticks > lastTicks) {
            lastTicks = ticks;
        }
        return lastTicks;
    }

    synchronized long epochMs() {
        return epochMs;
    }

    /** The wall instant that tick {@code ticks} stands for. */
    synchronized Instant instant(long ticks) {
        return Instant.ofEpochMilli(epochMs).plusNanos(Math.multiplyExact(ticks, 100_000L) / 9L);
    }

    /** How far the wall clock is from the channel's ticks, in ticks (positive: the wall clock is ahead). */
    synchronized long drift() {
        return wallTicks() - ticks();
    }

    /** True when the wall clock has stepped (see {@link #resync()}). */
    synchronized boolean stepped() {
        return Math.abs(drift()) > toleranceTicks;
    }

    /**
     * When the wall clock has stepped, moves the epoch so that the wall clock's now stands for the
     * channel's current tick.
     *
     * @return the new epoch (to persist), or empty when the wall clock agrees within the tolerance
     */
    synchronized OptionalLong resync() {
        long drift = drift();
        if (Math.abs(drift) <= toleranceTicks) {
            return OptionalLong.empty();
        }
        epochMs += drift / 90;
        return OptionalLong.of(epochMs);
    }

    /**
     * Continues from at least {@code ticks} (a timeline that already reached there: after a restart
     * on a wall clock that went back while the process was down), moving the epoch to match.
     *
     * @return the new epoch when it moved
     */
    synchronized OptionalLong atLeast(long ticks) {
        if (ticks() >= ticks) {
            return OptionalLong.empty();
        }
        anchorNanos = monotonic.nanos();
        anchorTicks = ticks;
        lastTicks = ticks;
        epochMs = wall.millis() - ticks / 90;
        return OptionalLong.of(epochMs);
    }

    /** Takes the epoch another process decided (a follower reading the writer's timeline). */
    synchronized void adoptEpoch(long newEpochMs) {
        if (newEpochMs == epochMs) {
            return;
        }
        epochMs = newEpochMs;
        anchorNanos = monotonic.nanos();
        anchorTicks = Math.max(wallTicks(), lastTicks);
        lastTicks = anchorTicks;
    }

    /** The wall clock's now in ticks, to the microsecond it gives (origins on one timeline then agree closely). */
    private long wallTicks() {
        Instant now = wall.instant();
        long micros = Math.multiplyExact(now.getEpochSecond() - Math.floorDiv(epochMs, 1000), 1_000_000L)
                + now.getNano() / 1000
                - Math.floorMod(epochMs, 1000) * 1000L;
        return Math.floorDiv(Math.multiplyExact(micros, 9L), 100L);
    }
}
