package tv.latent.generate.procedural;

import java.util.Set;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Effect;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Look;

/**
 * The film look the prompt asks for, applied to the whole frame: a shallow focus that blurs
 * the backdrop (before the actors are painted), then sun rays, mist, golden warmth, contrast,
 * vivid colour, monochrome or sepia, a vignette (strong for vintage), film grain that changes
 * every frame, and letterbox bars.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class FilmLook {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final long seed;
    /** Per pixel: how much of the light the vignette lets through. */
    private final float[] vignette;

    FilmLook(Scene scene, Palette palette, Canvas canvas, View view, long seed) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.seed = seed;
        int w = canvas.w;
        int h = canvas.h;
        this.vignette = new float[w * h];
        double strength = scene.looks().contains(Look.VINTAGE) ? 0.75 : 0.28;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - w / 2.0) / (w / 2.0);
                double dy = (y - h / 2.0) / (h / 2.0);
                double d = (dx * dx + dy * dy) / 2;
                vignette[y * w + x] = (float) (1 - strength * d * d);
            }
        }
    }

    /** With a shallow focus, blurs what is painted so far: the backdrop behind the actors. */
    void defocusBackdrop() {
        if (scene.looks().contains(Look.SHALLOW_FOCUS)) {
            int radius = Math.max(2, canvas.h / 90);
            canvas.blur(radius);
            canvas.blur(radius);
        }
    }

    /** Light, haze, contrast, colour, vignette and grain, pixel by pixel; the grain changes with {@code frame}. */
    void grade(int frame) {
        int w = canvas.w;
        int h = canvas.h;
        double sec = view.sec;
        float[] red = canvas.red;
        float[] green = canvas.green;
        float[] blue = canvas.blue;
        Rgb sun = palette.sun();
        Rgb fog = palette.fog();
        Set<Look> looks = scene.looks();
        boolean rays = scene.effects().contains(Effect.RAYS) && palette.sunVisible();
        boolean golden = scene.light() == Light.GOLDEN;
        boolean mist = looks.contains(Look.MIST);
        boolean contrast = looks.contains(Look.HIGH_CONTRAST);
        boolean vivid = looks.contains(Look.VIVID);
        boolean mono = looks.contains(Look.MONOCHROME);
        boolean sepia = looks.contains(Look.VINTAGE);
        boolean grain = looks.contains(Look.GRAIN) || sepia;
        double sx = view.screenX(palette.sunX(), 12);
        double sy = view.screenY(palette.sunY(), 12);
        double hz = view.horizonScreen();
        float grainAmount = sepia ? 0.07f : 0.055f;
        for (int y = 0; y < h; y++) {
            float haze = mist ? (float) (0.4 * Math.max(0, 1 - Math.abs(y - hz) / (h * 0.45))) + 0.08f : 0;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float r = red[i];
                float g = green[i];
                float b = blue[i];
                if (rays) {
                    double dx = x - sx;
                    double dy = y - sy;
                    double ang = fastAtan2(dy, dx);
                    float s = Trig.sin(ang * 11 + sec * 0.15) * 0.5f + Trig.sin(ang * 5 - sec * 0.1 + 1.3f) * 0.5f;
                    if (s > 0.25f) {
                        double dist = Math.sqrt(dx * dx + dy * dy) / h;
                        float k = (s - 0.25f) * 0.32f * (float) Math.max(0, 1 - dist * 0.9);
                        r += sun.r() * k;
                        g += sun.g() * k;
                        b += sun.b() * k;
                    }
                }
                if (haze > 0) {
                    r += (fog.r() - r) * haze;
                    g += (fog.g() - g) * haze;
                    b += (fog.b() - b) * haze;
                }
                if (golden) {
                    r = r * 1.06f + 0.02f;
                    b = b * 0.9f;
                }
                if (contrast) {
                    r = (r - 0.5f) * 1.35f + 0.5f;
                    g = (g - 0.5f) * 1.35f + 0.5f;
                    b = (b - 0.5f) * 1.35f + 0.5f;
                }
                float lum = 0.299f * r + 0.587f * g + 0.114f * b;
                if (vivid) {
                    r = lum + (r - lum) * 1.3f;
                    g = lum + (g - lum) * 1.3f;
                    b = lum + (b - lum) * 1.3f;
                }
                if (mono) {
                    r = g = b = lum;
                } else if (sepia) {
                    r = r * 0.3f + lum * 1.07f * 0.7f;
                    g = g * 0.3f + lum * 0.88f * 0.7f;
                    b = b * 0.3f + lum * 0.66f * 0.7f;
                }
                float v = vignette[i];
                r *= v;
                g *= v;
                b *= v;
                if (grain) {
                    float n = (EngineRandom.hash(seed, frame, i) - 0.5f) * 2 * grainAmount;
                    r += n;
                    g += n;
                    b += n;
                }
                red[i] = r;
                green[i] = g;
                blue[i] = b;
            }
        }
    }

    private static double fastAtan2(double y, double x) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double a = Math.min(ax, ay) / (Math.max(ax, ay) + 1e-9);
        double s = a * a;
        double r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
        if (ay > ax) {
            r = Math.PI / 2 - r;
        }
        if (x < 0) {
            r = Math.PI - r;
        }
        return y < 0 ? -r : r;
    }

    /** Black bars of a twelfth of the height at the top and bottom, for a cinematic look. */
    void letterbox() {
        if (scene.looks().contains(Look.LETTERBOX)) {
            int w = canvas.w;
            int h = canvas.h;
            int bar = h / 12;
            for (int i = 0; i < bar * w; i++) {
                canvas.set(i, 0, 0, 0);
                canvas.set(w * h - 1 - i, 0, 0, 0);
            }
        }
    }
}
