package tv.latent.director;

import java.util.List;

/**
 * The template director's random draws: a small SplitMix64 generator with one independent stream
 * per purpose (the request seed mixed with labels and indexes). We carry our own instead of
 * {@link java.util.Random} or {@link java.util.SplittableRandom} because the plans a seed gives
 * must stay the same across JDK versions: a channel's history and its tests depend on it. (The
 * embedded engines' {@code EngineRandom} is the same generator with other draws; merging them
 * would change either the plans or the frames a seed gives.) Not thread-safe; make one per use.
 */
final class PlanRandom {
    private long state;

    /** A generator for one purpose: the request seed mixed with any number of labels and indexes. */
    static PlanRandom of(long seed, long... stream) {
        long s = mix(seed);
        for (long part : stream) {
            s = mix(s ^ mix(part + 0x632BE59BD9B4E019L));
        }
        return new PlanRandom(s);
    }

    private PlanRandom(long state) {
        this.state = state;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // The modulo bias of a 63-bit draw over a small bound is far below anything a viewer sees.
        return (int) ((nextLong() >>> 1) % bound);
    }

    <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    boolean chance(int percent) {
        return nextInt(100) < percent;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
