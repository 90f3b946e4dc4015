package tv.latent.generate.internal;

import java.util.List;

/**
 * The embedded engines' random source: SplitMix64, whose sequence is fixed by its seed on every
 * JVM and version, which the procedural renderer and scorer need to give the same bytes for the
 * same seed. (The template director has its own, {@code PlanRandom}: it derives its streams and
 * bounds its draws differently, and its plans for a seed must not change either.)
 *
 * <p>Not thread-safe; make one per use.
 */
public final class EngineRandom {
    private long state;

    public EngineRandom(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double next() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double range(double lo, double hi) {
        return lo + (hi - lo) * next();
    }

    /** Uniform in [0, n). */
    public int below(int n) {
        return (int) Math.floorMod(nextLong(), (long) n);
    }

    public boolean chance(double p) {
        return next() < p;
    }

    public <T> T pick(List<T> items) {
        return items.get(below(items.size()));
    }

    /** A stateless hash of a few integers to [0, 1), for per-pixel noise. */
    public static float hash(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
