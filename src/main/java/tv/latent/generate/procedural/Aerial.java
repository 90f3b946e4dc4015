package tv.latent.generate.procedural;

import java.util.Set;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The ground seen from above instead of sky and ground: noise terrain that the camera flies
 * over on a heading chosen by the seed, slowly turning; sea with foam and beaches on a coast,
 * blocks of roofs (lit at night) in a city, bare rock and snow in mountains and deserts.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Aerial {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final ValueNoise noise;
    private final long seed;
    private final double cameraSpeed;
    private final double heading;
    private final double turn;

    /**
     * @param heading the direction of flight, radians
     * @param turn the sign decides which way the view slowly rotates
     */
    Aerial(
            Scene scene,
            Palette palette,
            Canvas canvas,
            View view,
            ValueNoise noise,
            long seed,
            double cameraSpeed,
            double heading,
            double turn) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.noise = noise;
        this.seed = seed;
        this.cameraSpeed = cameraSpeed;
        this.heading = heading;
        this.turn = turn;
    }

    void paint() {
        int w = canvas.w;
        int h = canvas.h;
        float aspect = view.aspect;
        double sec = view.sec;
        double zoom = view.zoom;
        Set<Place> places = scene.places();
        boolean starry = palette.starry();
        double speed = 0.07 * cameraSpeed;
        double ox = Math.cos(heading) * speed * sec + view.camX;
        double oy = Math.sin(heading) * speed * sec;
        double rot = 0.03 * sec * (turn > 0 ? 1 : -1);
        float cs = Trig.cos(rot);
        float sn = Trig.sin(rot);
        boolean coast = places.contains(Place.OCEAN) || places.contains(Place.RIVER);
        boolean city = places.contains(Place.CITY);
        boolean rock = places.contains(Place.MOUNTAINS) || places.contains(Place.DESERT);
        Rgb sea = Rgb.hex(0x1A5A8A).mix(palette.skyTop(), 0.3);
        Rgb sand = Rgb.hex(0xE0C890).mix(palette.skyHorizon(), 0.2);
        Rgb land = palette.groundFar().mix(Rgb.hex(0x4A7A3A), rock ? 0 : 0.4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = ((double) x / h - aspect / 2) / zoom;
                double v = ((double) y / h - 0.5) / zoom;
                double wx = u * cs - v * sn + ox;
                double wy = u * sn + v * cs + oy;
                float n = noise.at(wx * 2.2, wy * 2.2) * 0.65f + noise.at(wx * 6.1, wy * 6.1) * 0.35f;
                float r;
                float g;
                float b;
                if (coast && n < 0.45f) {
                    float foam = n > 0.42f ? 0.5f + 0.5f * Trig.sin(n * 120 - sec * 3) : 0;
                    float deep = (0.45f - n) * 2;
                    r = sea.r() * (1 - deep) + foam * 0.6f;
                    g = sea.g() * (1 - deep * 0.6f) + foam * 0.6f;
                    b = sea.b() + foam * 0.5f;
                } else if (coast && n < 0.5f) {
                    r = sand.r();
                    g = sand.g();
                    b = sand.b();
                } else if (city) {
                    double bx = wx * 14 - Math.floor(wx * 14);
                    double by = wy * 14 - Math.floor(wy * 14);
                    if (bx < 0.12 || by < 0.12) {
                        r = g = b = starry ? 0.12f : 0.35f;
                    } else {
                        float k = EngineRandom.hash((long) Math.floor(wx * 14), (long) Math.floor(wy * 14), seed);
                        Rgb roof = starry ? Rgb.hex(0x202436) : Rgb.hex(0x8A8A90);
                        r = roof.r() * (0.7f + 0.5f * k);
                        g = roof.g() * (0.7f + 0.5f * k);
                        b = roof.b() * (0.7f + 0.5f * k);
                        if (starry && k > 0.8f) {
                            r += 0.5f;
                            g += 0.4f;
                            b += 0.2f;
                        }
                    }
                } else {
                    float k = 0.75f + 0.5f * n;
                    r = land.r() * k;
                    g = land.g() * k;
                    b = land.b() * k;
                    if (rock && n > 0.62f) {
                        r = g = b = 0.85f;
                    }
                }
                canvas.set(y * w + x, r, g, b);
            }
        }
    }
}
