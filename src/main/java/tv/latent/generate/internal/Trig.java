package tv.latent.generate.internal;

/**
 * Table sine: fast, and the same to the bit on every platform (the table is built with
 * {@link StrictMath}; {@link Math#sin} may differ by an ulp between machines).
 */
public final class Trig {
    private static final int SIZE = 4096;
    private static final double STEP = SIZE / (2 * Math.PI);
    private static final float[] SIN = new float[SIZE + 1];

    static {
        for (int i = 0; i <= SIZE; i++) {
            SIN[i] = (float) StrictMath.sin(i / STEP);
        }
    }

    private Trig() {}

    public static float sin(double x) {
        double p = x * STEP;
        double f = Math.floor(p);
        int i = (int) ((long) f & (SIZE - 1));
        float t = (float) (p - f);
        return SIN[i] + (SIN[i + 1] - SIN[i]) * t;
    }

    public static float cos(double x) {
        return sin(x + Math.PI / 2);
    }
}
