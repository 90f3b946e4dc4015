package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Camera;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The parallax bands of an outdoor backdrop: ridges (snow-capped when tall), hills, a skyline
 * with lit windows, tree lines, dunes and a reef, each a silhouette drawn from its height
 * profile down to the horizon, or to the bottom of the frame for foreground bands. The places
 * choose the bands; the seed offsets each band's profile.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Layers {
    private final Scene scene;
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    private final ValueNoise noise;
    private final long seed;
    private final List<Layer> layers = new ArrayList<>();

    /** One band: its kind, depth, base line, height, frequency and offset of its profile, and colour. */
    private record Layer(
            LayerKind kind,
            double depth,
            double base,
            double amp,
            double freq,
            double offset,
            Rgb colour,
            boolean toBottom) {}

    private enum LayerKind {
        RIDGE,
        HILL,
        SKYLINE,
        TREES,
        DUNES,
        REEF
    }

    /** Chooses the bands and draws one offset per band from {@code rng}, far bands first. */
    Layers(Scene scene, Palette palette, Canvas canvas, View view, ValueNoise noise, long seed, EngineRandom rng) {
        this.scene = scene;
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        this.noise = noise;
        this.seed = seed;
        build(rng);
    }

    private void build(EngineRandom rng) {
        Set<Place> places = scene.places();
        double hz = scene.horizon();
        if (places.contains(Place.SPACE) || places.contains(Place.ROOM) || scene.camera() == Camera.AERIAL) {
            return;
        }
        Rgb groundFar = palette.groundFar();
        Rgb fog = palette.fog();
        Rgb far = groundFar.mix(fog, 0.55);
        if (places.contains(Place.UNDERWATER)) {
            layers.add(new Layer(LayerKind.HILL, 5, hz, 0.08, 1.5, rng.range(0, 50), fog.mix(groundFar, 0.35), false));
            layers.add(new Layer(
                    LayerKind.REEF,
                    1.6,
                    hz + 0.12,
                    0.16,
                    9,
                    rng.range(0, 50),
                    Rgb.hex(0xD05A8A).jitter(rng, 0.1),
                    true));
            return;
        }
        if (places.contains(Place.MOUNTAINS)) {
            layers.add(new Layer(
                    LayerKind.RIDGE, 8, hz, 0.32, 1.3, rng.range(0, 50), far.mix(palette.skyHorizon(), 0.35), false));
            layers.add(new Layer(LayerKind.RIDGE, 4, hz, 0.2, 2.3, rng.range(0, 50), far, false));
        }
        if (places.contains(Place.DESERT)) {
            layers.add(new Layer(LayerKind.RIDGE, 6, hz, 0.14, 1.1, rng.range(0, 50), groundFar.mix(fog, 0.3), false));
        }
        if (places.contains(Place.FOREST)) {
            layers.add(new Layer(
                    LayerKind.TREES,
                    3,
                    hz,
                    0.14,
                    1,
                    rng.range(0, 50),
                    groundFar.mix(Rgb.hex(0x1A3A24), 0.6).mix(fog, 0.3),
                    false));
        }
        if (places.contains(Place.CITY)) {
            Rgb building = palette.starry()
                    ? Rgb.hex(0x141828)
                    : places.contains(Place.CANDY)
                            ? Rgb.hex(0xB0703A)
                            : Rgb.hex(0x5A6478).mix(fog, 0.35);
            layers.add(new Layer(LayerKind.SKYLINE, 4, hz, 0.3, 1, rng.range(0, 50), building.mix(fog, 0.25), false));
            layers.add(new Layer(LayerKind.SKYLINE, 2, hz, 0.22, 1, rng.range(0, 50), building, false));
        }
        boolean anyBackdrop = !layers.isEmpty();
        if (!anyBackdrop && !places.contains(Place.OCEAN)) {
            layers.add(new Layer(LayerKind.HILL, 5, hz, 0.09, 1.6, rng.range(0, 50), far, false));
        }
        if (places.contains(Place.FIELD)
                || places.contains(Place.FOREST)
                || places.contains(Place.RIVER) && !places.contains(Place.OCEAN)) {
            layers.add(new Layer(
                    LayerKind.HILL,
                    0.7,
                    0.96,
                    0.07,
                    3,
                    rng.range(0, 50),
                    palette.groundNear().times(0.8),
                    true));
        }
        if (places.contains(Place.DESERT) && !places.contains(Place.OCEAN)) {
            layers.add(new Layer(LayerKind.DUNES, 0.8, 0.97, 0.08, 2, rng.range(0, 50), palette.groundNear(), true));
        }
    }

    /** Paints the bands behind the ground ({@code foreground} false) or in front of it (true). */
    void paint(boolean foreground) {
        int w = canvas.w;
        int h = canvas.h;
        double hz = view.horizonScreen();
        for (Layer layer : layers) {
            if (layer.toBottom() != foreground) {
                continue;
            }
            double d = layer.depth();
            double sway = layer.kind() == LayerKind.REEF ? view.sec * 0.8 : 0;
            for (int x = 0; x < w; x++) {
                double wx = view.worldX(x, d);
                double height = profile(layer, wx, sway);
                double top = view.screenY(layer.base() - height, d);
                int bottom = layer.toBottom() ? h : (int) Math.min(h, Math.ceil(hz) + 1);
                int y0 = (int) Math.max(0, Math.floor(top));
                for (int y = y0; y < bottom; y++) {
                    float a = y == (int) Math.floor(top) ? (float) (1 - (top - Math.floor(top))) : 1f;
                    float depthShade = (float) Math.min(1, (y - top) / (h * 0.35));
                    Rgb c = layer.colour();
                    float k = 1 - 0.28f * depthShade;
                    float r = c.r() * k;
                    float g = c.g() * k;
                    float b = c.b() * k;
                    if (layer.kind() == LayerKind.RIDGE
                            && height > layer.amp() * 0.7
                            && y - top < h * (height - layer.amp() * 0.7) * 0.9) {
                        r = g = b = 0.92f;
                        b = 0.97f;
                    } else if (layer.kind() == LayerKind.SKYLINE) {
                        float lit = window(layer, wx, (y - top) / h);
                        if (lit > 0) {
                            Rgb win = windowColour(wx);
                            r = win.r();
                            g = win.g();
                            b = win.b();
                        }
                    }
                    int i = y * w + x;
                    if (a < 1) {
                        canvas.blend(i, r, g, b, a);
                    } else {
                        canvas.set(i, r, g, b);
                    }
                }
            }
        }
    }

    /** The band's height above its base line at world x. */
    private double profile(Layer layer, double wx, double sway) {
        double u = wx * layer.freq() + layer.offset();
        return switch (layer.kind()) {
            case RIDGE -> {
                double n = noise.at(u) * 0.6 + noise.at(u * 2.3) * 0.28 + noise.at(u * 5.1) * 0.12;
                double ridge = 1 - Math.abs(2 * n - 1);
                yield layer.amp() * (0.25 + 0.75 * ridge * ridge);
            }
            case HILL -> layer.amp() * (noise.at(u) * 0.75 + noise.at(u * 3.1) * 0.25);
            case DUNES -> layer.amp() * (0.5 + 0.5 * Trig.sin(u * 1.7) * Trig.sin(u * 0.61 + 1));
            case SKYLINE -> {
                double slot = 0.07;
                double i = Math.floor(wx / slot);
                double f = wx / slot - i;
                float r = EngineRandom.hash(seed, (long) i, (long) (layer.depth() * 10));
                if (f < 0.06) {
                    yield layer.amp() * 0.25;
                }
                double tall = layer.amp() * (0.3 + 0.7 * r);
                if (scene.places().contains(Place.CANDY)) {
                    tall = tall * 0.7 + (0.5 - Math.abs(f - 0.5)) * slot * 1.6;
                }
                yield tall;
            }
            case TREES -> {
                double slot = 0.035;
                double i = Math.floor(wx / slot);
                double f = wx / slot - i;
                float r = EngineRandom.hash(seed, (long) i, 7);
                yield layer.amp() * (0.35 + 0.25 * r + 0.5 * (1 - Math.abs(2 * f - 1)) * (0.6 + 0.4 * r));
            }
            case REEF -> {
                double slot = 0.05;
                double i = Math.floor(wx / slot);
                double f = wx / slot - i + Trig.sin(sway + i) * 0.1;
                float r = EngineRandom.hash(seed, (long) i, 11);
                yield layer.amp() * (0.2 + 0.8 * r) * Math.max(0, 1 - Math.abs(2 * f - 1) * 1.4);
            }
        };
    }

    /** 1 where a lit window of a skyline band is, {@code below} screen heights under the roof; else 0. */
    private float window(Layer layer, double wx, double below) {
        double slot = 0.07;
        double f = wx / slot - Math.floor(wx / slot);
        if (f < 0.14 || f > 0.92 || below < 0.012) {
            return 0;
        }
        double col = Math.floor(f * 8);
        double row = Math.floor(below / 0.022);
        if (f * 8 - col > 0.55 || below / 0.022 - row > 0.55) {
            return 0;
        }
        float on = EngineRandom.hash((long) Math.floor(wx / slot), (long) (col * 31 + row), (long) layer.depth());
        double lit = palette.starry() ? 0.55 : scene.light() == Light.GOLDEN ? 0.35 : 0.9;
        return on < lit ? 1 : 0;
    }

    private Rgb windowColour(double wx) {
        if (scene.light() == Light.NEON) {
            return EngineRandom.hash((long) Math.floor(wx / 0.07), 3, 5) < 0.5 ? Rgb.hex(0xFF3AD0) : Rgb.hex(0x30E8FF);
        }
        if (palette.starry()) {
            return Rgb.hex(0xFFD890);
        }
        if (scene.places().contains(Place.CANDY)) {
            return Rgb.hex(0xF8F0FF);
        }
        return scene.light() == Light.GOLDEN
                ? Rgb.hex(0xFFC060)
                : palette.skyHorizon().mix(Rgb.hex(0x2A3A5A), 0.5);
    }
}
