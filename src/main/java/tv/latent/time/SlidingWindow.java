package tv.latent.time;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A rate limit per key (a client address, an account): at most {@code limit} events in any
 * sliding window of {@code window}, on a monotonic clock.
 *
 * <pre>{@code
 * SlidingWindow perAddress = new SlidingWindow(10, Duration.ofMinutes(1), 10_000, MonotonicClock.system());
 * Optional<Duration> wait = perAddress.acquire(ip);   // empty: counted, go on
 * wait.ifPresent(w -> answer 429 "try again in " + w.toSeconds() + " s");
 * }</pre>
 *
 * <p>Bounded: at most {@code keys} keys are remembered (the least recently used is forgotten first,
 * which can only let its owner through sooner), each with at most {@code limit} instants.
 * Thread-safe.
 */
public final class SlidingWindow {
    private final int limit;
    private final long windowNanos;
    private final MonotonicClock clock;
    private final Map<String, ArrayDeque<Long>> events;

    public SlidingWindow(int limit, Duration window, int keys, MonotonicClock clock) {
        if (limit < 1 || keys < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(
                    "a rate limit needs a positive limit, window and key count: " + limit + " per " + window);
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.events = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
                return size() > keys;
            }
        };
    }

    /** Counts an event for {@code key}, or, when the key is at its limit, counts nothing and says how long until it is not. */
    public synchronized Optional<Duration> acquire(String key) {
        Optional<Duration> wait = waitFor(key);
        if (wait.isEmpty()) {
            record(key);
        }
        return wait;
    }

    /** How long until {@code key} may have another event; empty when it may now. Counts nothing. */
    public synchronized Optional<Duration> waitFor(String key) {
        ArrayDeque<Long> instants = events.get(key);
        if (instants == null) {
            return Optional.empty();
        }
        long now = clock.nanos();
        expire(instants, now);
        if (instants.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(1, instants.peekFirst() + windowNanos - now)));
    }

    /** Counts an event for {@code key} whatever its count (the oldest beyond the limit is forgotten). */
    public synchronized void record(String key) {
        long now = clock.nanos();
        ArrayDeque<Long> instants = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        expire(instants, now);
        instants.addLast(now);
        while (instants.size() > limit) {
            instants.removeFirst();
        }
    }

    /** Forgets the events of {@code key}. */
    public synchronized void clear(String key) {
        events.remove(key);
    }

    private void expire(ArrayDeque<Long> instants, long now) {
        while (!instants.isEmpty() && now - instants.peekFirst() >= windowNanos) {
            instants.removeFirst();
        }
    }
}
