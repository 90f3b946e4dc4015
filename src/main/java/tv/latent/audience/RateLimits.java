package tv.latent.audience;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sliding windows by key ("at most N in any window of W"), in memory. A key's window holds at
 * most N instants; at most {@code maxKeys} keys are remembered, the least recently used forgotten
 * first (a forgotten viewer may act again sooner: the per-channel window still bounds the
 * whole). Times are on the caller's monotonic clock, in nanoseconds.
 *
 * <p>Thread-safe.
 */
final class RateLimits {
    private final int maxKeys;
    private final Map<String, Deque<Long>> windows;

    RateLimits(int maxKeys) {
        this.maxKeys = maxKeys;
        this.windows = new LinkedHashMap<>(256, 0.75f, true);
    }

    /**
     * Takes one place in {@code key}'s window if it has one free: empty when taken; otherwise how
     * long until a place frees.
     */
    synchronized Optional<Duration> take(String key, int max, Duration window, long nowNanos) {
        Deque<Long> times = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        long horizon = nowNanos - window.toNanos();
        while (!times.isEmpty() && times.peekFirst() - horizon <= 0) {
            times.pollFirst();
        }
        if (times.size() >= max) {
            return Optional.of(Duration.ofNanos(times.peekFirst() - horizon));
        }
        times.addLast(nowNanos);
        if (windows.size() > maxKeys) {
            var eldest = windows.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return Optional.empty();
    }

    /** Gives back the place taken at {@code atNanos} (the request was not the viewer's fault). */
    synchronized void giveBack(String key, long atNanos) {
        Deque<Long> times = windows.get(key);
        if (times != null) {
            times.removeLastOccurrence(atNanos);
        }
    }

    synchronized int keys() {
        return windows.size();
    }
}
