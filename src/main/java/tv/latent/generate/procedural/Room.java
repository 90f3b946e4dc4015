package tv.latent.generate.procedural;

import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Effect;
import tv.latent.generate.procedural.Scene.Light;

/**
 * An interior instead of sky and ground: a wall, a plank floor in perspective, a window (day
 * sky, or night with a moon), a lamp and its glow, a desk, and a screen scrolling coloured lines
 * of code when the prompt asks for one.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Room {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final long seed;

    Room(Scene scene, Palette palette, Canvas canvas, View view, long seed) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.seed = seed;
    }

    void paint() {
        int w = canvas.w;
        int h = canvas.h;
        float aspect = view.aspect;
        Rgb wall = palette.skyTop();
        Rgb wall2 = palette.skyHorizon();
        double floorY = view.screenY(0.74, 2);
        for (int y = 0; y < h; y++) {
            if (y < floorY) {
                Rgb c = wall.mix(wall2, y / floorY);
                canvas.fillRow(y, c.r(), c.g(), c.b());
            } else {
                double dy = (y - floorY) / h;
                Rgb c = palette.groundFar().mix(palette.groundNear(), Math.min(1, dy * 3));
                for (int x = 0; x < w; x++) {
                    double xw = ((double) x / h - aspect / 2) / (dy + 0.05) + view.camX * 6;
                    float plank = 0.06f * Trig.sin(xw * 1.8);
                    canvas.set(y * w + x, c.r() * (1 + plank), c.g() * (1 + plank), c.b() * (1 + plank));
                }
            }
        }
        boolean night = scene.light() == Light.INDOOR || palette.starry();
        Rgb outside = night ? Rgb.hex(0x0C1430) : Rgb.hex(0x8AC0F0);
        double wx0 = aspect * 0.12;
        canvas.rect(
                view.screenX(wx0, 3),
                view.screenY(0.12, 3),
                view.screenX(wx0 + 0.42, 3),
                view.screenY(0.5, 3),
                Rgb.hex(0x2A1E16),
                1f);
        canvas.rect(
                view.screenX(wx0 + 0.02, 3),
                view.screenY(0.14, 3),
                view.screenX(wx0 + 0.4, 3),
                view.screenY(0.48, 3),
                outside,
                1f);
        if (night) {
            canvas.disc(view.screenX(wx0 + 0.3, 3), view.screenY(0.22, 3), h * 0.025, Rgb.hex(0xF0F0FF), 1f, false);
        }
        if (scene.effects().contains(Effect.LAMP) || scene.light() == Light.INDOOR) {
            double lx = view.screenX(aspect * 0.85, 2);
            double ly = view.screenY(0.45, 2);
            canvas.glow(lx, ly, h * 0.55, Rgb.hex(0xFFB060), 0.5f);
            canvas.disc(lx, ly, h * 0.04, Rgb.hex(0xFFE0A0), 1f, false);
        }
        double deskTop = view.screenY(0.66, 1.3);
        canvas.rect(
                view.screenX(aspect * 0.45, 1.3),
                deskTop,
                view.screenX(aspect * 1.1, 1.3),
                view.screenY(0.7, 1.3),
                Rgb.hex(0x4A2E1C),
                1f);
        if (scene.effects().contains(Effect.SCREEN)) {
            paintScreen(aspect);
        }
    }

    private void paintScreen(float aspect) {
        double x0 = view.screenX(aspect * 0.62, 1.3);
        double x1 = view.screenX(aspect * 0.62 + 0.36, 1.3);
        double y0 = view.screenY(0.4, 1.3);
        double y1 = view.screenY(0.64, 1.3);
        canvas.rect(x0 - 3, y0 - 3, x1 + 3, y1 + 3, Rgb.hex(0x101014), 1f);
        canvas.rect(x0, y0, x1, y1, Rgb.hex(0x0A1A2A), 1f);
        int lines = 9;
        double lh = (y1 - y0) / lines;
        int scroll = (int) (view.sec * 3);
        for (int l = 0; l < lines; l++) {
            float r1 = EngineRandom.hash(seed, l + scroll, 1);
            float r2 = EngineRandom.hash(seed, l + scroll, 2);
            double indent = (x1 - x0) * 0.05 * (1 + (int) (r2 * 3));
            Rgb code = r1 < 0.33 ? Rgb.hex(0x5AE0A0) : r1 < 0.66 ? Rgb.hex(0x6AB0FF) : Rgb.hex(0xF0C060);
            canvas.rect(
                    x0 + indent,
                    y0 + l * lh + lh * 0.3,
                    x0 + indent + (x1 - x0) * (0.2 + 0.55 * r1),
                    y0 + l * lh + lh * 0.7,
                    code,
                    0.9f);
        }
        canvas.glow((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.9, Rgb.hex(0x4A8AD0), 0.25f);
    }
}
