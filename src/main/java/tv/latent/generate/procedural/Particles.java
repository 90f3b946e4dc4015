package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.List;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Cast.Actor;
import tv.latent.generate.procedural.Scene.Effect;

/**
 * The scene's effects as particles over everything else: rain streaks, drifting snowflakes,
 * rising embers with the fire's glow, a splash around the lead actor, bubbles and blinking
 * sparkles. Each particle's place, speed and phase come from the seed; its position in a frame
 * is a function of time, so frames can be painted in any order.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Particles {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final Cast cast;
    /** Per particle: effect ordinal, world x, start (0..1), speed, wobble phase, life offset (0..1). */
    private final float[][] specks;

    /** Draws every particle from {@code rng}, 5 draws each, effect by effect. */
    Particles(Scene scene, Palette palette, Canvas canvas, View view, Cast cast, EngineRandom rng) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.cast = cast;
        List<float[]> out = new ArrayList<>();
        for (Effect e : scene.effects()) {
            int n =
                    switch (e) {
                        case RAIN -> 220;
                        case SNOWFALL -> 140;
                        case FIRE -> 110;
                        case SPLASH -> 60;
                        case BUBBLES -> 40;
                        case SPARKLES -> 50;
                        default -> 0;
                    };
            for (int i = 0; i < n; i++) {
                out.add(new float[] {
                    e.ordinal(),
                    (float) rng.range(-0.2, view.aspect + 0.2),
                    (float) rng.next(),
                    (float) rng.range(0.5, 1.5),
                    (float) rng.range(0, 6.28),
                    (float) rng.next()
                });
            }
        }
        this.specks = out.toArray(new float[0][]);
    }

    void paint() {
        int w = canvas.w;
        int h = canvas.h;
        float aspect = view.aspect;
        double sec = view.sec;
        double H = 1.2;
        for (float[] p : specks) {
            Effect e = Effect.values()[(int) p[0]];
            double x;
            double y;
            switch (e) {
                case RAIN -> {
                    y = wrap(p[2] + sec * 1.6 * p[3], H) - 0.1;
                    x = p[1] + y * 0.12 - view.camX;
                    int px = (int) (x * h);
                    int py = (int) (y * h);
                    int len = Math.max(3, h / 40);
                    for (int k = 0; k < len; k++) {
                        int yy = py + k;
                        int xx = px + k / 8;
                        if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
                            canvas.add(yy * w + xx, 0.8f, 0.85f, 0.9f, 0.22f);
                        }
                    }
                }
                case SNOWFALL -> {
                    y = wrap(p[2] + sec * 0.12 * p[3], H) - 0.1;
                    x = p[1] + 0.02 * Trig.sin(sec * 1.3 + p[4]) - view.camX * 0.8;
                    canvas.disc(x * h, y * h, Math.max(1, h / 200.0 * p[3]), Rgb.hex(0xFFFFFF), 0.85f, false);
                }
                case FIRE -> {
                    double life = wrap(p[5] + sec * 0.9 * p[3], 1);
                    x = aspect * (0.15 + 0.7 * (p[1] / (aspect + 0.4))) + 0.03 * Trig.sin(sec * 5 + p[4]);
                    y = 1.0 - life * 0.45;
                    Rgb c = Rgb.hex(0xFFE060).mix(Rgb.hex(0xE02A10), life);
                    double r = h * 0.02 * (1.3 - life) * p[3];
                    canvas.glow(view.screenX(x, 1.2), view.screenY(y, 1.2), r * 2.5, c, (float) (0.9 * (1 - life)));
                }
                case SPLASH -> {
                    Actor lead = cast.isEmpty() ? null : cast.lead();
                    double bx0 = lead == null ? aspect / 2 : lead.x0() + cast.travel(lead, sec);
                    double life = wrap(p[5] + sec * 1.4 * p[3], 1);
                    x = bx0 + (p[1] / aspect - 0.5) * 0.5 * life;
                    y = (lead == null ? 0.8 : lead.y0() + lead.size() * 0.6) - 0.35 * life * (1 - life) * p[3];
                    canvas.disc(
                            view.screenX(x, 1),
                            view.screenY(y, 1),
                            Math.max(1, h / 150.0),
                            Rgb.hex(0xE8F4FF),
                            (float) (1 - life),
                            false);
                }
                case BUBBLES -> {
                    y = 1.1 - wrap(p[2] + sec * 0.1 * p[3], H);
                    x = p[1] + 0.015 * Trig.sin(sec * 2 + p[4]);
                    double r = h * 0.008 * p[3];
                    canvas.disc(view.screenX(x, 1.5), view.screenY(y, 1.5), r, Rgb.hex(0xD8FFFF), 0.3f, false);
                    canvas.disc(
                            view.screenX(x, 1.5) - r * 0.3,
                            view.screenY(y, 1.5) - r * 0.3,
                            r * 0.3,
                            Rgb.hex(0xFFFFFF),
                            0.7f,
                            false);
                }
                case SPARKLES -> {
                    x = p[1] + 0.02 * Trig.sin(sec * 0.7 + p[4]);
                    y = 0.2 + 0.7 * p[2] + 0.02 * Trig.cos(sec * 0.9 + p[4]);
                    float blink = Math.max(0, Trig.sin(sec * 3 * p[3] + p[4]));
                    canvas.glow(
                            view.screenX(x, 1.3),
                            view.screenY(y, 1.3),
                            h * 0.018,
                            palette.accent().mix(Rgb.hex(0xFFF0A0), 0.5),
                            blink);
                }
                default -> {}
            }
        }
        if (scene.effects().contains(Effect.FIRE)) {
            canvas.glow(w / 2.0, h * 1.05, h * 0.8, Rgb.hex(0xFF6A20), 0.35f + 0.05f * Trig.sin(sec * 11));
        }
    }

    private static double wrap(double v, double m) {
        return v - Math.floor(v / m) * m;
    }
}
