package tv.latent.generate.procedural;

import java.util.Set;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Effect;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The ground plane of an outdoor scene, from the horizon to the bottom of the frame, in
 * perspective: water (waves, a river's flow, the sun's glitter), a road with its centre line,
 * or a field striped by distance and mottled by noise.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Ground {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final ValueNoise noise;

    Ground(Scene scene, Palette palette, Canvas canvas, View view, ValueNoise noise) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.noise = noise;
    }

    void paint() {
        int w = canvas.w;
        int h = canvas.h;
        float aspect = view.aspect;
        double sec = view.sec;
        double hy = view.horizonScreen();
        int y0 = (int) Math.max(0, Math.ceil(hy));
        Set<Place> places = scene.places();
        boolean water = places.contains(Place.OCEAN) || places.contains(Place.RIVER) && !places.contains(Place.CITY);
        boolean road = places.contains(Place.CITY) && !water || places.contains(Place.CANDY);
        boolean river = places.contains(Place.RIVER) && !places.contains(Place.OCEAN);
        double flow = river ? (scene.motion().speed() > 1.5 || scene.effects().contains(Effect.SPLASH) ? 1.6 : 0.6) : 0;
        double sunScreen = view.screenX(palette.sunX(), 12);
        Rgb sun = palette.sun();
        Rgb deep = places.contains(Place.OCEAN)
                ? Rgb.hex(0x0A3A5A).mix(palette.skyTop(), 0.3)
                : Rgb.hex(0x1A4A4A).mix(palette.skyTop(), 0.3);
        for (int y = y0; y < h; y++) {
            double dy = (y - hy) / h;
            double z = 0.06 / (dy + 0.012);
            double roadHalf = 0.9 * 0.06;
            double lineHalf = 0.03 * 0.06;
            float t = (float) Math.min(1, dy * 2.6);
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double xw = ((double) x / h - aspect / 2) * z / view.zoom
                        + (road ? view.camX * 0.1 : view.camX * 2.2 + view.orbit * 2);
                float r;
                float g;
                float b;
                if (water) {
                    float wave = 0.5f * Trig.sin(xw * 7 + z * 2.2 + sec * 1.4 - flow * sec * 3 * 0)
                            + 0.5f * Trig.sin(xw * 3.1 - z * 4.7 + sec * 0.9 - xw * flow * 0);
                    if (flow > 0) {
                        wave = 0.5f * Trig.sin((xw - flow * sec) * 9 + z * 1.3)
                                + 0.5f * Trig.sin((xw - flow * sec * 0.8) * 4.3 - z * 3.1);
                    }
                    Rgb base = palette.skyHorizon().mix(deep, t * 0.85 + 0.15);
                    r = base.r();
                    g = base.g();
                    b = base.b();
                    if (wave > 0.55f) {
                        float k = (wave - 0.55f) * (flow > 1 ? 1.6f : 0.7f);
                        r += k * 0.9f;
                        g += k * 0.95f;
                        b += k;
                    } else if (wave < -0.6f) {
                        r *= 0.85f;
                        g *= 0.88f;
                        b *= 0.92f;
                    }
                    if (palette.sunVisible() && Math.abs(x - sunScreen) < h * (0.04 + dy * 0.6) && wave > 0.2f) {
                        r += sun.r() * 0.5f;
                        g += sun.g() * 0.5f;
                        b += sun.b() * 0.5f;
                    }
                } else {
                    Rgb base = palette.groundFar().mix(palette.groundNear(), t);
                    float stripe = 0.04f * Trig.sin(z * 9) + 0.03f * (noise.at(xw * 6, z * 2) - 0.5f);
                    r = base.r() * (1 + stripe);
                    g = base.g() * (1 + stripe);
                    b = base.b() * (1 + stripe);
                    if (road && Math.abs(xw) < roadHalf) {
                        Rgb asphalt = places.contains(Place.CANDY)
                                ? Rgb.hex(0x5A3220)
                                : palette.starry() ? Rgb.hex(0x1A1A22) : Rgb.hex(0x4A4A50);
                        r = asphalt.r();
                        g = asphalt.g();
                        b = asphalt.b();
                        if (Math.abs(xw) < lineHalf
                                && Trig.sin(z * 3 + sec * 2 * scene.motion().speed()) > 0) {
                            r = g = 0.9f;
                            b = places.contains(Place.CANDY) ? 0.9f : 0.6f;
                        }
                    }
                }
                if (scene.places().contains(Place.UNDERWATER)) {
                    r = r * (1 - t * 0.3f);
                }
                canvas.set(i, r, g, b);
            }
        }
    }
}
