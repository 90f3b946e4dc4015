package tv.latent.generate.procedural;

import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The sky of an outdoor scene: a gradient from the palette's top to its horizon colour, the
 * light playing on the surface seen from under water, twinkling stars, nebulae and a planet in
 * space, and the sun (or moon) with its glow. Stars sit far away (depth 30), the sun at 12.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Sky {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final long seed;
    /** Per star: world x, world y, brightness, twinkle phase, twinkle rate. */
    private final float[][] stars;

    /** Draws the stars' places from {@code rng}: 5 draws per star, none when the sky is not starry. */
    Sky(Scene scene, Palette palette, Canvas canvas, View view, long seed, EngineRandom rng) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.seed = seed;
        Light light = scene.light();
        int starCount = palette.starry() ? (light == Light.SPACE ? 260 : 140) : 0;
        this.stars = new float[starCount][];
        for (int i = 0; i < starCount; i++) {
            stars[i] = new float[] {
                (float) rng.range(-0.5, view.aspect + 0.5),
                (float) rng.range(-0.2, light == Light.SPACE ? 1.1 : scene.horizon()),
                (float) rng.range(0.2, 1),
                (float) rng.range(0, 6.28),
                (float) rng.range(0.5, 3)
            };
        }
    }

    void paint() {
        int w = canvas.w;
        int h = canvas.h;
        double sec = view.sec;
        double hy = scene.places().contains(Place.SPACE) ? h : view.horizonScreen();
        for (int y = 0; y < h; y++) {
            double t = Math.max(0, Math.min(1, y / Math.max(1, hy)));
            t = t * t;
            Rgb c = palette.skyTop().mix(palette.skyHorizon(), t);
            canvas.fillRow(y, c.r(), c.g(), c.b());
        }
        if (scene.light() == Light.UNDERWATER) {
            for (int y = 0; y < hy && y < h; y++) {
                float fade = (float) (1 - y / hy) * 0.22f;
                for (int x = 0; x < w; x++) {
                    double wx = view.worldX(x, 6);
                    float c = Trig.sin(wx * 23 + Trig.sin(y * 0.07 + sec * 1.3) * 2 + sec * 0.9)
                            + Trig.sin(wx * 17 - y * 0.05 - sec * 1.1);
                    if (c > 1.2f) {
                        canvas.add(y * w + x, 0.8f, 1f, 0.95f, (c - 1.2f) * fade);
                    }
                }
            }
        }
        if (palette.starry()) {
            for (float[] s : stars) {
                int x = (int) view.screenX(s[0], 30);
                int y = (int) view.screenY(s[1], 30);
                if (x < 1 || y < 1 || x >= w - 1 || y >= hy || y >= h - 1) {
                    continue;
                }
                float b = s[2] * (0.7f + 0.3f * Trig.sin(sec * s[4] * 3 + s[3]));
                canvas.add(y * w + x, 1f, 1f, 1f, b);
                canvas.add(y * w + x - 1, 1f, 1f, 1f, b * 0.25f);
                canvas.add(y * w + x + 1, 1f, 1f, 1f, b * 0.25f);
                canvas.add((y - 1) * w + x, 1f, 1f, 1f, b * 0.25f);
                canvas.add((y + 1) * w + x, 1f, 1f, 1f, b * 0.25f);
            }
        }
        if (scene.light() == Light.SPACE) {
            paintSpace();
            return;
        }
        if (palette.sunVisible()) {
            double sx = view.screenX(palette.sunX(), 12);
            double sy = view.screenY(palette.sunY(), 12);
            canvas.glow(
                    sx,
                    sy,
                    h * (scene.light() == Light.GOLDEN ? 0.7 : 0.45),
                    palette.sun(),
                    scene.light() == Light.DAY ? 0.35f : 0.6f);
            if (scene.light() != Light.UNDERWATER && scene.light() != Light.NEON) {
                canvas.disc(
                        sx,
                        sy,
                        h * (scene.light() == Light.NIGHT ? 0.035 : 0.05),
                        palette.sun().mix(Rgb.hex(0xFFFFFF), 0.5),
                        1f,
                        false);
            }
        }
    }

    /** Three nebulae placed by the seed (the same in every frame) and a planet where the sun would be. */
    private void paintSpace() {
        int h = canvas.h;
        EngineRandom rng = new EngineRandom(seed ^ 0x5EEDL);
        for (int i = 0; i < 3; i++) {
            Rgb c = i == 0 ? palette.accent().mix(Rgb.hex(0x7A3AC0), 0.5) : Rgb.hex(i == 1 ? 0x2A5AD0 : 0xC03A7A);
            canvas.glow(
                    view.screenX(rng.range(0, view.aspect), 12),
                    view.screenY(rng.range(0.1, 0.9), 12),
                    h * rng.range(0.3, 0.6),
                    c,
                    0.35f);
        }
        double px = view.screenX(palette.sunX(), 3);
        double py = view.screenY(0.55, 3);
        double r = h * 0.22 * view.zoomAt(3);
        Rgb planet = scene.freeColours().isEmpty()
                ? Rgb.hex(0xC08A5A)
                : scene.freeColours().get(0);
        canvas.disc(px, py, r, planet, 1f, true);
    }
}
