package tv.latent.generate.procedural;

import tv.latent.generate.internal.EngineRandom;

/**
 * Smooth value noise over a table of 1024 random values drawn from the painter's seed: the
 * profiles of ridges and hills, the grain of fields, the shake of a handheld camera.
 * Immutable after construction.
 */
final class ValueNoise {
    private final float[] table = new float[1024];

    /** Draws the table: the first 1024 draws of the painter's random sequence. */
    ValueNoise(EngineRandom rng) {
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) rng.next();
        }
    }

    /** One-dimensional noise in [0, 1), smoothstep-interpolated between integer points. */
    float at(double x) {
        double f = Math.floor(x);
        int i = (int) ((long) f & 1023);
        float t = (float) (x - f);
        t = t * t * (3 - 2 * t);
        return table[i] + (table[(i + 1) & 1023] - table[i]) * t;
    }

    /** Two-dimensional noise in [0, 1). */
    float at(double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int ix = (int) (long) fx;
        int iy = (int) (long) fy;
        float tx = (float) (x - fx);
        float ty = (float) (y - fy);
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        float a = table[(ix + iy * 57) & 1023];
        float b = table[(ix + 1 + iy * 57) & 1023];
        float c = table[(ix + (iy + 1) * 57) & 1023];
        float d = table[(ix + 1 + (iy + 1) * 57) & 1023];
        float top = a + (b - a) * tx;
        return top + (c + (d - c) * tx - top) * ty;
    }
}
