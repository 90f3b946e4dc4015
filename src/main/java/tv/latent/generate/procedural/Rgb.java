package tv.latent.generate.procedural;

import tv.latent.generate.internal.EngineRandom;

/** A colour, each channel 0..1. */
record Rgb(float r, float g, float b) {
    static Rgb hex(int v) {
        return new Rgb(((v >> 16) & 255) / 255f, ((v >> 8) & 255) / 255f, (v & 255) / 255f);
    }

    Rgb mix(Rgb o, double t) {
        float k = (float) t;
        return new Rgb(r + (o.r - r) * k, g + (o.g - g) * k, b + (o.b - b) * k);
    }

    Rgb times(double k) {
        return new Rgb((float) (r * k), (float) (g * k), (float) (b * k));
    }

    Rgb jitter(EngineRandom rng, double amount) {
        return new Rgb(
                clamp(r + (float) rng.range(-amount, amount)),
                clamp(g + (float) rng.range(-amount, amount)),
                clamp(b + (float) rng.range(-amount, amount)));
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
