package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.List;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Camera;
import tv.latent.generate.procedural.Scene.Effect;
import tv.latent.generate.procedural.Scene.Kind;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Look;
import tv.latent.generate.procedural.Scene.Place;
import tv.latent.generate.procedural.Scene.Subject;

/**
 * Paints the frames of one {@link Scene} as a small animated painting: a sky or backdrop,
 * parallax layers (ridges, skyline, trees), a ground plane (field, water, road, sand), moving
 * subjects drawn as soft blobs, particles, light and a film look, then a "procedural" label.
 *
 * <p>World units are screen heights: x runs 0..width/height, y runs 0 (top) ..1 (bottom). A
 * layer at depth d moves 1/d as much as the subject plane when the camera moves (parallax).
 * All randomness comes from the seed, and all arithmetic is exact IEEE or table based, so the
 * same scene, seed and size paint the same bytes anywhere.
 *
 * <p>Not thread-safe: one painter per render; it owns its frame buffers.
 */
final class ScenePainter {
    private final Scene scene;
    private final int w;
    private final int h;
    private final int fps;
    private final float aspect;
    private final long seed;
    private final float[] red;
    private final float[] green;
    private final float[] blue;
    private final float[] vignette;

    private final Rgb skyTop;
    private final Rgb skyHorizon;
    private final Rgb groundFar;
    private final Rgb groundNear;
    private final Rgb sun;
    private final Rgb fog;
    private final Rgb accent;
    private final float sunX;
    private final float sunY;
    private final boolean sunVisible;
    private final boolean starry;
    private final float[] noise = new float[1024];
    private final List<Layer> layers = new ArrayList<>();
    private final List<Actor> actors = new ArrayList<>();
    private final float[][] stars;
    private final float[][] specks;
    private final double driftX;
    private final double driftY;
    private final double cameraSpeed;
    private final double aerialHeading;

    // the view of the frame being painted
    private double camX;
    private double camY;
    private double zoom;
    private double dolly;
    private double orbit;
    private double sec;

    /** A backdrop band: a silhouette drawn from its height profile down to the horizon (or the bottom). */
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

    /** One subject on screen: where it starts, how big, how it moves. */
    private record Actor(
            Subject subject,
            double x0,
            double y0,
            double size,
            double depth,
            int facing,
            double phase,
            double wander) {}

    ScenePainter(Scene scene, long seed, int width, int height, int fps) {
        this.scene = scene;
        this.w = width;
        this.h = height;
        this.fps = fps;
        this.aspect = (float) width / height;
        this.seed = seed;
        this.red = new float[width * height];
        this.green = new float[width * height];
        this.blue = new float[width * height];
        EngineRandom rng = new EngineRandom(seed);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.next();
        }

        Light light = scene.light();
        Rgb top;
        Rgb hor;
        Rgb gFar;
        Rgb gNear;
        Rgb sunC;
        Rgb fogC;
        double sy;
        switch (light) {
            case GOLDEN -> {
                top = Rgb.hex(0x3A4580);
                hor = Rgb.hex(0xFF9A48);
                gFar = Rgb.hex(0x8A5A3A);
                gNear = Rgb.hex(0x4A3020);
                sunC = Rgb.hex(0xFFC870);
                fogC = Rgb.hex(0xF0A070);
                sy = scene.horizon() - 0.1;
            }
            case DAWN -> {
                top = Rgb.hex(0x5A6AB0);
                hor = Rgb.hex(0xFFB8A0);
                gFar = Rgb.hex(0x7A8A6A);
                gNear = Rgb.hex(0x3A4A30);
                sunC = Rgb.hex(0xFFE0B0);
                fogC = Rgb.hex(0xF8C8C0);
                sy = scene.horizon() - 0.14;
            }
            case NIGHT -> {
                top = Rgb.hex(0x04081C);
                hor = Rgb.hex(0x1A2450);
                gFar = Rgb.hex(0x0C1228);
                gNear = Rgb.hex(0x060A16);
                sunC = Rgb.hex(0xE8ECFF);
                fogC = Rgb.hex(0x20284A);
                sy = 0.2;
            }
            case NEON -> {
                top = Rgb.hex(0x0A0620);
                hor = Rgb.hex(0x5A1A6A);
                gFar = Rgb.hex(0x140C28);
                gNear = Rgb.hex(0x0A0614);
                sunC = Rgb.hex(0xFF40C0);
                fogC = Rgb.hex(0x3A1A5A);
                sy = 0.25;
            }
            case OVERCAST -> {
                top = Rgb.hex(0x6A727C);
                hor = Rgb.hex(0xB8BEC4);
                gFar = Rgb.hex(0x5A6A5A);
                gNear = Rgb.hex(0x3A463A);
                sunC = Rgb.hex(0xE0E4E8);
                fogC = Rgb.hex(0xB0B6BC);
                sy = 0.2;
            }
            case UNDERWATER -> {
                top = Rgb.hex(0x4AD0D0);
                hor = Rgb.hex(0x0A5A70);
                gFar = Rgb.hex(0x3A7A70);
                gNear = Rgb.hex(0x8A8A60);
                sunC = Rgb.hex(0xC0FFF0);
                fogC = Rgb.hex(0x0A5A6A);
                sy = -0.2;
            }
            case SPACE -> {
                top = Rgb.hex(0x020208);
                hor = Rgb.hex(0x140A2A);
                gFar = Rgb.hex(0x5A5A60);
                gNear = Rgb.hex(0x303036);
                sunC = Rgb.hex(0xFFF4E0);
                fogC = Rgb.hex(0x100820);
                sy = 0.3;
            }
            case INDOOR -> {
                top = Rgb.hex(0x3A2A22);
                hor = Rgb.hex(0x5A4030);
                gFar = Rgb.hex(0x4A3020);
                gNear = Rgb.hex(0x2A1A12);
                sunC = Rgb.hex(0xFFC080);
                fogC = Rgb.hex(0x3A2A20);
                sy = 0.3;
            }
            default -> {
                top = Rgb.hex(0x3A78D8);
                hor = Rgb.hex(0xB8DAF4);
                gFar = Rgb.hex(0x6A9A4A);
                gNear = Rgb.hex(0x3A6A2A);
                sunC = Rgb.hex(0xFFF8E0);
                fogC = Rgb.hex(0xC8DCF0);
                sy = 0.16;
            }
        }
        if (scene.places().contains(Place.DESERT)) {
            gFar = Rgb.hex(0xD8985A).mix(gFar, 0.3);
            gNear = Rgb.hex(0xB0703A).mix(gNear, 0.3);
        }
        if (scene.places().contains(Place.SNOW)) {
            gFar = Rgb.hex(0xE8F0F8).mix(gFar, 0.2);
            gNear = Rgb.hex(0xD0DCE8).mix(gNear, 0.2);
        }
        if (scene.places().contains(Place.CANDY)) {
            top = top.mix(Rgb.hex(0xF8A8D0), 0.6);
            hor = hor.mix(Rgb.hex(0xFFE0F0), 0.6);
            gFar = Rgb.hex(0xF8B8D8);
            gNear = Rgb.hex(0xE890B8);
        }
        if (scene.places().contains(Place.ROOM) && light != Light.INDOOR) {
            top = Rgb.hex(0xD8D0C0);
            hor = Rgb.hex(0xC0B4A0);
            gFar = Rgb.hex(0x9A7A5A);
            gNear = Rgb.hex(0x7A5A3A);
        }
        Rgb acc = light == Light.NEON ? Rgb.hex(0x30E8FF) : sunC;
        if (!scene.freeColours().isEmpty()) {
            acc = scene.freeColours().get(0);
            hor = hor.mix(acc, 0.25);
        }
        double jitter = scene.looks().contains(Look.VIVID) ? 0.05 : 0.035;
        this.skyTop = top.jitter(rng, jitter);
        this.skyHorizon = hor.jitter(rng, jitter);
        this.groundFar = gFar.jitter(rng, jitter);
        this.groundNear = gNear.jitter(rng, jitter);
        this.sun = sunC;
        this.fog = fogC;
        this.accent = acc;
        this.sunX = (float) rng.range(0.2, aspect - 0.2);
        this.sunY = (float) sy;
        this.sunVisible = light != Light.INDOOR
                && light != Light.OVERCAST
                && !scene.places().contains(Place.ROOM);
        this.starry = light == Light.NIGHT || light == Light.NEON || light == Light.SPACE;
        this.driftX = rng.range(-1, 1);
        this.driftY = rng.range(-1, 1);
        this.aerialHeading = rng.range(0, 2 * Math.PI);
        this.cameraSpeed = Math.max(0.6, Math.min(1.8, scene.motion().speed()));

        int starCount = starry ? (light == Light.SPACE ? 260 : 140) : 0;
        this.stars = new float[starCount][];
        for (int i = 0; i < starCount; i++) {
            stars[i] = new float[] {
                (float) rng.range(-0.5, aspect + 0.5),
                (float) rng.range(-0.2, light == Light.SPACE ? 1.1 : scene.horizon()),
                (float) rng.range(0.2, 1),
                (float) rng.range(0, 6.28),
                (float) rng.range(0.5, 3)
            };
        }
        buildLayers(rng);
        buildActors(rng);
        this.specks = buildParticles(rng);
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

    // ---------------------------------------------------------------- construction

    private void buildLayers(EngineRandom rng) {
        var places = scene.places();
        double hz = scene.horizon();
        if (places.contains(Place.SPACE) || places.contains(Place.ROOM) || scene.camera() == Camera.AERIAL) {
            return;
        }
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
            layers.add(
                    new Layer(LayerKind.RIDGE, 8, hz, 0.32, 1.3, rng.range(0, 50), far.mix(skyHorizon, 0.35), false));
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
            Rgb building = starry
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
            layers.add(new Layer(LayerKind.HILL, 0.7, 0.96, 0.07, 3, rng.range(0, 50), groundNear.times(0.8), true));
        }
        if (places.contains(Place.DESERT) && !places.contains(Place.OCEAN)) {
            layers.add(new Layer(LayerKind.DUNES, 0.8, 0.97, 0.08, 2, rng.range(0, 50), groundNear, true));
        }
    }

    private void buildActors(EngineRandom rng) {
        List<Subject> subjects = scene.subjects();
        boolean underwater = scene.places().contains(Place.UNDERWATER);
        boolean space = scene.places().contains(Place.SPACE);
        if (subjects.isEmpty()) {
            Rgb dark = skyTop.mix(Rgb.hex(0x101010), 0.7);
            if (underwater) {
                subjects = List.of(new Subject("fish", Kind.FISH, Rgb.hex(0xF0A040), Rgb.hex(0xF8F0E0), 3, true));
            } else if (!space && !scene.places().contains(Place.ROOM) && scene.camera() != Camera.AERIAL) {
                subjects = List.of(new Subject("bird", Kind.BIRD, dark, dark, 2 + rng.below(3), false));
            }
        }
        double totalScale = scene.subjectScale() * (subjects.size() > 1 ? 0.8 : 1);
        double hz = scene.horizon();
        int index = 0;
        for (Subject s : subjects) {
            int n = s.count();
            for (int k = 0; k < n; k++) {
                boolean lead = index == 0;
                double depth = lead ? 1 : rng.range(0.9, 1.8);
                double base =
                        switch (s.kind()) {
                            case INSECT -> 0.035;
                            case BIRD -> 0.05;
                            case FLOWER -> n == 1 ? 0.2 : 0.12;
                            case VEHICLE, BOAT -> 0.16;
                            case FISH -> 0.11;
                            default -> 0.13;
                        };
                double size = base * totalScale * rng.range(0.88, 1.12) * (n > 3 ? 0.75 : 1);
                int facing = scene.motion().dirX() != 0 ? scene.motion().dirX() : rng.chance(0.5) ? 1 : -1;
                double spread = aspect * 0.7;
                double x0 = n == 1 && subjects.size() == 1
                        ? aspect / 2 + rng.range(-0.15, 0.15)
                        : aspect * 0.15 + spread * (index + rng.range(0.1, 0.9)) / Math.max(2, totalCount(subjects));
                if (scene.motion().moving()
                        && scene.camera() != Camera.FOLLOW
                        && n == 1
                        && scene.motion().approach() == 0) {
                    x0 -= facing * 0.12 * scene.motion().speed();
                }
                double ground = hz + (0.86 - hz) / depth;
                double y0 =
                        switch (s.kind()) {
                            case BIRD ->
                                space || underwater ? rng.range(0.2, 0.7) : rng.range(0.1, Math.max(0.15, hz - 0.12));
                            case FISH ->
                                underwater
                                        ? rng.range(0.3, 0.75)
                                        : scene.places().contains(Place.RIVER)
                                                        || scene.places().contains(Place.OCEAN)
                                                ? hz + (1 - hz) * rng.range(0.35, 0.7)
                                                : rng.range(0.3, 0.7);
                            case INSECT -> rng.range(0.3, 0.6);
                            case BOAT -> hz + (1 - hz) * (lead ? 0.45 : rng.range(0.15, 0.4));
                            default -> space || underwater ? rng.range(0.35, 0.65) : ground - size * 0.75 / depth;
                        };
                if (s.kind() == Kind.ROUND && scene.motion().dirY() > 0) {
                    y0 = 0.12;
                }
                if (s.kind() == Kind.FLOWER && n == 1) {
                    x0 = aspect / 2 + rng.range(-0.2, 0.2);
                }
                actors.add(new Actor(s, x0, y0, size, depth, facing, rng.range(0, 6.28), rng.range(0.5, 1.5)));
                index++;
            }
        }
        Actor flower = actors.stream()
                .filter(a -> a.subject().kind() == Kind.FLOWER)
                .findFirst()
                .orElse(null);
        if (flower != null) {
            // insects buzz around the flower rather than wherever their slot put them
            for (int i = 0; i < actors.size(); i++) {
                Actor a = actors.get(i);
                if (a.subject().kind() == Kind.INSECT) {
                    actors.set(
                            i,
                            new Actor(
                                    a.subject(),
                                    flower.x0() + rng.range(-0.25, 0.25),
                                    flower.y0() + rng.range(-0.2, 0.05),
                                    a.size() * 1.6,
                                    flower.depth() * rng.range(0.85, 1.1),
                                    a.facing(),
                                    a.phase(),
                                    a.wander()));
                }
            }
        }
    }

    private static int totalCount(List<Subject> subjects) {
        return subjects.stream().mapToInt(Subject::count).sum();
    }

    private float[][] buildParticles(EngineRandom rng) {
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
                    (float) rng.range(-0.2, aspect + 0.2),
                    (float) rng.next(),
                    (float) rng.range(0.5, 1.5),
                    (float) rng.range(0, 6.28),
                    (float) rng.next()
                });
            }
        }
        return out.toArray(new float[0][]);
    }

    // ---------------------------------------------------------------- per frame

    /** Paints frame {@code index} and writes it as packed RGB24 into {@code out} (w*h*3 bytes). */
    void paint(int index, byte[] out) {
        sec = (double) index / fps;
        setView();
        if (scene.camera() == Camera.AERIAL) {
            paintAerial();
        } else if (scene.places().contains(Place.ROOM)) {
            paintRoom();
        } else {
            paintSky();
            paintLayers(false);
            if (!scene.places().contains(Place.SPACE)) {
                paintGround();
            }
            paintLayers(true);
        }
        if (scene.looks().contains(Look.SHALLOW_FOCUS)) {
            int radius = Math.max(2, h / 90);
            blur(radius);
            blur(radius);
        }
        for (Actor a : actors) {
            paintActor(a);
        }
        paintParticles();
        grade(index);
        if (scene.looks().contains(Look.LETTERBOX)) {
            int bar = h / 12;
            for (int i = 0; i < bar * w; i++) {
                red[i] = green[i] = blue[i] = 0;
                int j = w * h - 1 - i;
                red[j] = green[j] = blue[j] = 0;
            }
        }
        label();
        for (int i = 0, o = 0; i < red.length; i++) {
            out[o++] = toByte(red[i]);
            out[o++] = toByte(green[i]);
            out[o++] = toByte(blue[i]);
        }
    }

    private static byte toByte(float v) {
        int x = (int) (v * 255f + 0.5f);
        return (byte) (x < 0 ? 0 : x > 255 ? 255 : x);
    }

    private void setView() {
        double s = cameraSpeed * sec;
        camX = 0;
        camY = 0;
        zoom = 1;
        dolly = 0;
        orbit = 0;
        switch (scene.camera()) {
            case PAN_LEFT -> camX = -0.09 * s;
            case PAN_RIGHT -> camX = 0.09 * s;
            case FOLLOW -> camX = actors.isEmpty() ? 0.07 * s : travel(actors.get(0));
            case ZOOM_IN -> zoom = 1 + 0.13 * s;
            case ZOOM_OUT -> zoom = 1.45 - 0.13 * s;
            case DOLLY_IN -> dolly = 0.3 * s;
            case DOLLY_OUT -> dolly = 0.9 - 0.3 * s;
            case ORBIT -> orbit = 0.12 * s;
            case TILT_UP -> camY = -0.06 * s;
            case TILT_DOWN -> camY = 0.06 * s;
            case HANDHELD -> {
                camX = (noise1(sec * 2.1 + 3) - 0.5) * 0.03;
                camY = (noise1(sec * 2.7 + 17) - 0.5) * 0.025;
            }
            case DRIFT -> {
                camX = driftX * 0.02 * sec;
                zoom = 1 + 0.015 * sec;
            }
            default -> {}
        }
    }

    private double travel(Actor a) {
        Scene.Motion m = scene.motion();
        if (!m.moving() || a.subject().kind() == Kind.FLOWER) {
            return a.subject().kind() == Kind.BIRD || a.subject().kind() == Kind.FISH
                    ? a.facing() * 0.03 * sec * a.wander()
                    : 0;
        }
        double pace =
                switch (a.subject().kind()) {
                    case VEHICLE -> 0.12;
                    case BIRD -> 0.09;
                    default -> 0.07;
                };
        return a.facing() * pace * m.speed() * sec * (m.approach() != 0 ? 0.2 : 1);
    }

    private double zoomAt(double depth) {
        return zoom * (1 + dolly / depth);
    }

    /** Screen x (pixels) of world x at a depth. */
    private double screenX(double wx, double depth) {
        double z = zoomAt(depth);
        return ((wx - aspect / 2 - camX / depth - orbit * (1 - 1 / depth)) * z + aspect / 2) * h;
    }

    private double screenY(double wy, double depth) {
        return ((wy - 0.5 - camY / depth) * zoomAt(depth) + 0.5) * h;
    }

    private double worldX(int px, double depth) {
        double z = zoomAt(depth);
        return ((double) px / h - aspect / 2) / z + aspect / 2 + camX / depth + orbit * (1 - 1 / depth);
    }

    private float noise1(double x) {
        double f = Math.floor(x);
        int i = (int) ((long) f & 1023);
        float t = (float) (x - f);
        t = t * t * (3 - 2 * t);
        return noise[i] + (noise[(i + 1) & 1023] - noise[i]) * t;
    }

    private float noise2(double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int ix = (int) (long) fx;
        int iy = (int) (long) fy;
        float tx = (float) (x - fx);
        float ty = (float) (y - fy);
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        float a = noise[(ix + iy * 57) & 1023];
        float b = noise[(ix + 1 + iy * 57) & 1023];
        float c = noise[(ix + (iy + 1) * 57) & 1023];
        float d = noise[(ix + 1 + (iy + 1) * 57) & 1023];
        float top = a + (b - a) * tx;
        return top + (c + (d - c) * tx - top) * ty;
    }

    private void fillRow(int y, float r, float g, float b) {
        int i = y * w;
        for (int x = 0; x < w; x++, i++) {
            red[i] = r;
            green[i] = g;
            blue[i] = b;
        }
    }

    private void blend(int i, float r, float g, float b, float a) {
        red[i] += (r - red[i]) * a;
        green[i] += (g - green[i]) * a;
        blue[i] += (b - blue[i]) * a;
    }

    private void add(int i, float r, float g, float b, float k) {
        red[i] += r * k;
        green[i] += g * k;
        blue[i] += b * k;
    }

    // ---------------------------------------------------------------- sky and backdrop

    private double horizonScreen() {
        return screenY(scene.horizon(), 4);
    }

    private void paintSky() {
        double hy = scene.places().contains(Place.SPACE) ? h : horizonScreen();
        for (int y = 0; y < h; y++) {
            double t = Math.max(0, Math.min(1, y / Math.max(1, hy)));
            t = t * t;
            Rgb c = skyTop.mix(skyHorizon, t);
            fillRow(y, c.r(), c.g(), c.b());
        }
        if (scene.light() == Light.UNDERWATER) {
            for (int y = 0; y < hy && y < h; y++) {
                float fade = (float) (1 - y / hy) * 0.22f;
                for (int x = 0; x < w; x++) {
                    double wx = worldX(x, 6);
                    float c = Trig.sin(wx * 23 + Trig.sin(y * 0.07 + sec * 1.3) * 2 + sec * 0.9)
                            + Trig.sin(wx * 17 - y * 0.05 - sec * 1.1);
                    if (c > 1.2f) {
                        add(y * w + x, 0.8f, 1f, 0.95f, (c - 1.2f) * fade);
                    }
                }
            }
        }
        if (starry) {
            for (float[] s : stars) {
                int x = (int) screenX(s[0], 30);
                int y = (int) screenY(s[1], 30);
                if (x < 1 || y < 1 || x >= w - 1 || y >= hy || y >= h - 1) {
                    continue;
                }
                float b = s[2] * (0.7f + 0.3f * Trig.sin(sec * s[4] * 3 + s[3]));
                add(y * w + x, 1f, 1f, 1f, b);
                add(y * w + x - 1, 1f, 1f, 1f, b * 0.25f);
                add(y * w + x + 1, 1f, 1f, 1f, b * 0.25f);
                add((y - 1) * w + x, 1f, 1f, 1f, b * 0.25f);
                add((y + 1) * w + x, 1f, 1f, 1f, b * 0.25f);
            }
        }
        if (scene.light() == Light.SPACE) {
            EngineRandom rng = new EngineRandom(seed ^ 0x5EEDL);
            for (int i = 0; i < 3; i++) {
                Rgb c = i == 0 ? accent.mix(Rgb.hex(0x7A3AC0), 0.5) : Rgb.hex(i == 1 ? 0x2A5AD0 : 0xC03A7A);
                glow(
                        screenX(rng.range(0, aspect), 12),
                        screenY(rng.range(0.1, 0.9), 12),
                        h * rng.range(0.3, 0.6),
                        c,
                        0.35f);
            }
            double px = screenX(sunX, 3);
            double py = screenY(0.55, 3);
            double r = h * 0.22 * zoomAt(3);
            Rgb planet = scene.freeColours().isEmpty()
                    ? Rgb.hex(0xC08A5A)
                    : scene.freeColours().get(0);
            disc(px, py, r, planet, 1f, true);
            return;
        }
        if (sunVisible) {
            double sx = screenX(sunX, 12);
            double sy = screenY(sunY, 12);
            glow(
                    sx,
                    sy,
                    h * (scene.light() == Light.GOLDEN ? 0.7 : 0.45),
                    sun,
                    scene.light() == Light.DAY ? 0.35f : 0.6f);
            if (scene.light() != Light.UNDERWATER && scene.light() != Light.NEON) {
                disc(
                        sx,
                        sy,
                        h * (scene.light() == Light.NIGHT ? 0.035 : 0.05),
                        sun.mix(Rgb.hex(0xFFFFFF), 0.5),
                        1f,
                        false);
            }
        }
    }

    private void glow(double cx, double cy, double radius, Rgb c, float strength) {
        int x0 = Math.max(0, (int) (cx - radius));
        int x1 = Math.min(w - 1, (int) (cx + radius));
        int y0 = Math.max(0, (int) (cy - radius));
        int y1 = Math.min(h - 1, (int) (cy + radius));
        double inv = 1 / (radius * radius);
        for (int y = y0; y <= y1; y++) {
            double dy = y - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx;
                double d = (dx * dx + dy * dy) * inv;
                if (d < 1) {
                    float k = (float) ((1 - d) * (1 - d)) * strength;
                    add(y * w + x, c.r(), c.g(), c.b(), k);
                }
            }
        }
    }

    private void paintLayers(boolean foreground) {
        double hz = horizonScreen();
        for (Layer layer : layers) {
            if (layer.toBottom() != foreground) {
                continue;
            }
            double d = layer.depth();
            double sway = layer.kind() == LayerKind.REEF ? sec * 0.8 : 0;
            for (int x = 0; x < w; x++) {
                double wx = worldX(x, d);
                double height = profile(layer, wx, sway);
                double top = screenY(layer.base() - height, d);
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
                        float lit = window(layer, wx, (y - top) / h, x);
                        if (lit > 0) {
                            Rgb win = windowColour(wx);
                            r = win.r();
                            g = win.g();
                            b = win.b();
                        }
                    }
                    int i = y * w + x;
                    if (a < 1) {
                        blend(i, r, g, b, a);
                    } else {
                        red[i] = r;
                        green[i] = g;
                        blue[i] = b;
                    }
                }
            }
        }
    }

    private double profile(Layer layer, double wx, double sway) {
        double u = wx * layer.freq() + layer.offset();
        return switch (layer.kind()) {
            case RIDGE -> {
                double n = noise1(u) * 0.6 + noise1(u * 2.3) * 0.28 + noise1(u * 5.1) * 0.12;
                double ridge = 1 - Math.abs(2 * n - 1);
                yield layer.amp() * (0.25 + 0.75 * ridge * ridge);
            }
            case HILL -> layer.amp() * (noise1(u) * 0.75 + noise1(u * 3.1) * 0.25);
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

    private float window(Layer layer, double wx, double below, int x) {
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
        double lit = starry ? 0.55 : scene.light() == Light.GOLDEN ? 0.35 : 0.9;
        return on < lit ? 1 : 0;
    }

    private Rgb windowColour(double wx) {
        if (scene.light() == Light.NEON) {
            return EngineRandom.hash((long) Math.floor(wx / 0.07), 3, 5) < 0.5 ? Rgb.hex(0xFF3AD0) : Rgb.hex(0x30E8FF);
        }
        if (starry) {
            return Rgb.hex(0xFFD890);
        }
        if (scene.places().contains(Place.CANDY)) {
            return Rgb.hex(0xF8F0FF);
        }
        return scene.light() == Light.GOLDEN ? Rgb.hex(0xFFC060) : skyHorizon.mix(Rgb.hex(0x2A3A5A), 0.5);
    }

    private void paintGround() {
        double hy = horizonScreen();
        int y0 = (int) Math.max(0, Math.ceil(hy));
        var places = scene.places();
        boolean water = places.contains(Place.OCEAN) || places.contains(Place.RIVER) && !places.contains(Place.CITY);
        boolean road = places.contains(Place.CITY) && !water || places.contains(Place.CANDY);
        boolean river = places.contains(Place.RIVER) && !places.contains(Place.OCEAN);
        double flow = river ? (scene.motion().speed() > 1.5 || scene.effects().contains(Effect.SPLASH) ? 1.6 : 0.6) : 0;
        double sunScreen = screenX(sunX, 12);
        Rgb deep = places.contains(Place.OCEAN)
                ? Rgb.hex(0x0A3A5A).mix(skyTop, 0.3)
                : Rgb.hex(0x1A4A4A).mix(skyTop, 0.3);
        for (int y = y0; y < h; y++) {
            double dy = (y - hy) / h;
            double z = 0.06 / (dy + 0.012);
            double roadHalf = 0.9 * 0.06;
            double lineHalf = 0.03 * 0.06;
            float t = (float) Math.min(1, dy * 2.6);
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double xw = ((double) x / h - aspect / 2) * z / zoom + (road ? camX * 0.1 : camX * 2.2 + orbit * 2);
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
                    Rgb base = skyHorizon.mix(deep, t * 0.85 + 0.15);
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
                    if (sunVisible && Math.abs(x - sunScreen) < h * (0.04 + dy * 0.6) && wave > 0.2f) {
                        r += sun.r() * 0.5f;
                        g += sun.g() * 0.5f;
                        b += sun.b() * 0.5f;
                    }
                } else {
                    Rgb base = groundFar.mix(groundNear, t);
                    float stripe = 0.04f * Trig.sin(z * 9) + 0.03f * (noise2(xw * 6, z * 2) - 0.5f);
                    r = base.r() * (1 + stripe);
                    g = base.g() * (1 + stripe);
                    b = base.b() * (1 + stripe);
                    if (road && Math.abs(xw) < roadHalf) {
                        Rgb asphalt = places.contains(Place.CANDY)
                                ? Rgb.hex(0x5A3220)
                                : starry ? Rgb.hex(0x1A1A22) : Rgb.hex(0x4A4A50);
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
                red[i] = r;
                green[i] = g;
                blue[i] = b;
            }
        }
    }

    private void paintRoom() {
        Rgb wall = skyTop;
        Rgb wall2 = skyHorizon;
        double floorY = screenY(0.74, 2);
        for (int y = 0; y < h; y++) {
            if (y < floorY) {
                Rgb c = wall.mix(wall2, y / floorY);
                fillRow(y, c.r(), c.g(), c.b());
            } else {
                double dy = (y - floorY) / h;
                Rgb c = groundFar.mix(groundNear, Math.min(1, dy * 3));
                for (int x = 0; x < w; x++) {
                    double xw = ((double) x / h - aspect / 2) / (dy + 0.05) + camX * 6;
                    float plank = 0.06f * Trig.sin(xw * 1.8);
                    int i = y * w + x;
                    red[i] = c.r() * (1 + plank);
                    green[i] = c.g() * (1 + plank);
                    blue[i] = c.b() * (1 + plank);
                }
            }
        }
        boolean night = scene.light() == Light.INDOOR || starry;
        Rgb outside = night ? Rgb.hex(0x0C1430) : Rgb.hex(0x8AC0F0);
        double wx0 = aspect * 0.12;
        rect(screenX(wx0, 3), screenY(0.12, 3), screenX(wx0 + 0.42, 3), screenY(0.5, 3), Rgb.hex(0x2A1E16), 1f);
        rect(screenX(wx0 + 0.02, 3), screenY(0.14, 3), screenX(wx0 + 0.4, 3), screenY(0.48, 3), outside, 1f);
        if (night) {
            disc(screenX(wx0 + 0.3, 3), screenY(0.22, 3), h * 0.025, Rgb.hex(0xF0F0FF), 1f, false);
        }
        if (scene.effects().contains(Effect.LAMP) || scene.light() == Light.INDOOR) {
            double lx = screenX(aspect * 0.85, 2);
            double ly = screenY(0.45, 2);
            glow(lx, ly, h * 0.55, Rgb.hex(0xFFB060), 0.5f);
            disc(lx, ly, h * 0.04, Rgb.hex(0xFFE0A0), 1f, false);
        }
        double deskTop = screenY(0.66, 1.3);
        rect(
                screenX(aspect * 0.45, 1.3),
                deskTop,
                screenX(aspect * 1.1, 1.3),
                screenY(0.7, 1.3),
                Rgb.hex(0x4A2E1C),
                1f);
        if (scene.effects().contains(Effect.SCREEN)) {
            double x0 = screenX(aspect * 0.62, 1.3);
            double x1 = screenX(aspect * 0.62 + 0.36, 1.3);
            double y0 = screenY(0.4, 1.3);
            double y1 = screenY(0.64, 1.3);
            rect(x0 - 3, y0 - 3, x1 + 3, y1 + 3, Rgb.hex(0x101014), 1f);
            rect(x0, y0, x1, y1, Rgb.hex(0x0A1A2A), 1f);
            int lines = 9;
            double lh = (y1 - y0) / lines;
            int scroll = (int) (sec * 3);
            for (int l = 0; l < lines; l++) {
                float r1 = EngineRandom.hash(seed, l + scroll, 1);
                float r2 = EngineRandom.hash(seed, l + scroll, 2);
                double indent = (x1 - x0) * 0.05 * (1 + (int) (r2 * 3));
                Rgb code = r1 < 0.33 ? Rgb.hex(0x5AE0A0) : r1 < 0.66 ? Rgb.hex(0x6AB0FF) : Rgb.hex(0xF0C060);
                rect(
                        x0 + indent,
                        y0 + l * lh + lh * 0.3,
                        x0 + indent + (x1 - x0) * (0.2 + 0.55 * r1),
                        y0 + l * lh + lh * 0.7,
                        code,
                        0.9f);
            }
            glow((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.9, Rgb.hex(0x4A8AD0), 0.25f);
        }
    }

    private void paintAerial() {
        var places = scene.places();
        double speed = 0.07 * cameraSpeed;
        double ox = Math.cos(aerialHeading) * speed * sec + camX;
        double oy = Math.sin(aerialHeading) * speed * sec;
        double rot = 0.03 * sec * (driftY > 0 ? 1 : -1);
        float cs = Trig.cos(rot);
        float sn = Trig.sin(rot);
        boolean coast = places.contains(Place.OCEAN) || places.contains(Place.RIVER);
        boolean city = places.contains(Place.CITY);
        boolean rock = places.contains(Place.MOUNTAINS) || places.contains(Place.DESERT);
        Rgb sea = Rgb.hex(0x1A5A8A).mix(skyTop, 0.3);
        Rgb sand = Rgb.hex(0xE0C890).mix(skyHorizon, 0.2);
        Rgb land = groundFar.mix(Rgb.hex(0x4A7A3A), rock ? 0 : 0.4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = ((double) x / h - aspect / 2) / zoom;
                double v = ((double) y / h - 0.5) / zoom;
                double wx = u * cs - v * sn + ox;
                double wy = u * sn + v * cs + oy;
                float n = noise2(wx * 2.2, wy * 2.2) * 0.65f + noise2(wx * 6.1, wy * 6.1) * 0.35f;
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
                int i = y * w + x;
                red[i] = r;
                green[i] = g;
                blue[i] = b;
            }
        }
    }

    // ---------------------------------------------------------------- shapes

    private void disc(double cx, double cy, double r, Rgb c, float alpha, boolean shaded) {
        int x0 = Math.max(0, (int) Math.floor(cx - r - 1));
        int x1 = Math.min(w - 1, (int) Math.ceil(cx + r + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - r - 1));
        int y1 = Math.min(h - 1, (int) Math.ceil(cy + r + 1));
        for (int y = y0; y <= y1; y++) {
            double dy = y - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx;
                double d = Math.sqrt(dx * dx + dy * dy);
                float a = (float) Math.min(1, Math.max(0, r - d + 0.5)) * alpha;
                if (a <= 0) {
                    continue;
                }
                float k = shaded ? (float) (1.05 - 0.45 * Math.max(0, (dx + dy) / (r * 1.41))) : 1f;
                blend(y * w + x, c.r() * k, c.g() * k, c.b() * k, a);
            }
        }
    }

    private void rect(double x0, double y0, double x1, double y1, Rgb c, float alpha) {
        int xa = Math.max(0, (int) Math.round(x0));
        int xb = Math.min(w, (int) Math.round(x1));
        int ya = Math.max(0, (int) Math.round(y0));
        int yb = Math.min(h, (int) Math.round(y1));
        for (int y = ya; y < yb; y++) {
            for (int x = xa; x < xb; x++) {
                blend(y * w + x, c.r(), c.g(), c.b(), alpha);
            }
        }
    }

    /**
     * Soft union of circles (a metaball field), shaded lighter at the top like a lit body.
     * Coordinates in pixels.
     */
    private void blob(double[] xs, double[] ys, double[] rs, int n, Rgb c, float alpha) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            minX = Math.min(minX, xs[k] - rs[k] * 1.4);
            maxX = Math.max(maxX, xs[k] + rs[k] * 1.4);
            minY = Math.min(minY, ys[k] - rs[k] * 1.4);
            maxY = Math.max(maxY, ys[k] + rs[k] * 1.4);
        }
        int x0 = Math.max(0, (int) minX);
        int x1 = Math.min(w - 1, (int) Math.ceil(maxX));
        int y0 = Math.max(0, (int) minY);
        int y1 = Math.min(h - 1, (int) Math.ceil(maxY));
        double span = Math.max(1, maxY - minY);
        boolean rim = scene.light() == Light.GOLDEN || scene.light() == Light.DAWN || scene.light() == Light.NEON;
        double sunSide = sunX * h > (minX + maxX) / 2 ? 1 : -1;
        double halfWidth = Math.max(1, (maxX - minX) / 2);
        for (int y = y0; y <= y1; y++) {
            float shade = (float) (1.18 - 0.45 * (y - minY) / span);
            for (int x = x0; x <= x1; x++) {
                double f = 0;
                for (int k = 0; k < n; k++) {
                    double dx = x - xs[k];
                    double dy = y - ys[k];
                    f += rs[k] * rs[k] / (dx * dx + dy * dy + 0.5);
                }
                if (f < 0.8) {
                    continue;
                }
                float a = (float) Math.min(1, (f - 0.8) / 0.35) * alpha;
                float r = c.r() * shade;
                float g = c.g() * shade;
                float b = c.b() * shade;
                double side = (x - (minX + maxX) / 2) * sunSide / halfWidth;
                if (rim && f < 1.5 && side > 0) {
                    float k = (float) ((1.5 - f) * 0.9 * Math.min(1, side));
                    r += sun.r() * k;
                    g += sun.g() * k;
                    b += sun.b() * k;
                }
                blend(y * w + x, r, g, b, a);
            }
        }
    }

    private final double[] bx = new double[16];
    private final double[] by = new double[16];
    private final double[] br = new double[16];
    private int bn;

    private void part(double x, double y, double r) {
        bx[bn] = x;
        by[bn] = y;
        br[bn] = r;
        bn++;
    }

    private void flush(Rgb c, float alpha) {
        if (bn > 0) {
            blob(bx, by, br, bn, c, alpha);
        }
        bn = 0;
    }

    // ---------------------------------------------------------------- subjects

    private void paintActor(Actor a) {
        Subject s = a.subject();
        Scene.Motion m = scene.motion();
        double depth = a.depth();
        if (m.approach() != 0) {
            depth = depth / Math.max(0.3, 1 + 0.3 * m.approach() * m.speed() * sec);
        }
        double wx = a.x0() + travel(a);
        double wy = a.y0();
        if (m.dirY() != 0 && (s.kind() == Kind.ROUND || m.moving())) {
            if (m.dirY() > 0) {
                double ground = scene.horizon() + (0.86 - scene.horizon()) - a.size() * 0.5;
                wy = Math.min(ground, a.y0() + 0.5 * 0.9 * m.speed() * sec * sec);
            } else {
                wy = a.y0() - 0.05 * m.speed() * sec;
            }
        }
        double phase = a.phase() + sec * 2 * Math.PI * (m.moving() ? 1.4 * m.speed() : 0.3);
        if (s.kind() == Kind.INSECT) {
            wx += 0.08 * Trig.sin(sec * 2.3 * a.wander() + a.phase()) + 0.03 * Trig.sin(sec * 7.1 + a.phase() * 2);
            wy += 0.06 * Trig.sin(sec * 3.1 * a.wander() + a.phase() * 3);
        } else if (s.kind() == Kind.FISH || s.kind() == Kind.BIRD) {
            wy += 0.015 * Trig.sin(sec * 1.5 + a.phase());
        }
        double cx = screenX(wx, depth);
        double cy = screenY(wy, depth);
        double size = a.size() / depth * zoomAt(depth) * h;
        if (cx < -size * 3 || cx > w + size * 3) {
            return;
        }
        int f = a.facing();
        boolean front = scene.looks().contains(Look.FRONT_VIEW) || m.approach() > 0;
        switch (s.kind()) {
            case QUADRUPED -> quadruped(s, cx, cy, size, f, phase, m.moving(), front);
            case FISH -> fish(s, cx, cy, size, f, phase);
            case BIRD -> bird(s, cx, cy, size, f, phase);
            case INSECT -> insect(s, cx, cy, size, phase);
            case FLOWER -> flower(s, cx, cy, size, a.phase());
            case FIGURE -> figure(s, cx, cy, size, f, phase, m.moving());
            case VEHICLE -> vehicle(s, cx, cy, size, f);
            case BOAT -> boat(s, cx, cy, size, f);
            case ROUND -> round(s, cx, cy, size, phase);
        }
    }

    private Rgb darker(Subject s) {
        Rgb c = s.colour();
        Rgb d = s.second();
        return d.r() + d.g() + d.b() < c.r() + c.g() + c.b() ? d : c.times(0.7);
    }

    private void eye(double x, double y, double r) {
        disc(x, y, r, Rgb.hex(0x141414), 1f, false);
        disc(x - r * 0.3, y - r * 0.3, r * 0.35, Rgb.hex(0xFFFFFF), 0.9f, false);
    }

    private void quadruped(
            Subject s, double cx, double cy, double S, int f, double phase, boolean moving, boolean front) {
        Rgb legs = darker(s);
        if (front) {
            double breathe = 1 + 0.02 * Trig.sin(phase);
            double turn = Trig.sin(sec * 0.9) * 0.05 * S;
            part(cx, cy + 0.2 * S, 0.55 * S * breathe);
            part(cx - 0.3 * S, cy + 0.5 * S, 0.25 * S);
            part(cx + 0.3 * S, cy + 0.5 * S, 0.25 * S);
            flush(s.colour().times(0.9), 1f);
            double hx = cx + turn;
            double hy = cy - 0.45 * S;
            boolean pointy = s.noun().matches("fox(es)?|cats?|kitten|wolf|dogs?|llama|alpaca|deer|tiger|lion");
            for (int side = -1; side <= 1; side += 2) {
                if (pointy) {
                    for (int k = 0; k < 4; k++) {
                        part(hx + side * (0.28 + 0.03 * k) * S, hy - (0.3 + 0.1 * k) * S, (0.14 - 0.03 * k) * S);
                    }
                } else {
                    part(hx + side * 0.32 * S, hy - 0.38 * S, 0.13 * S);
                }
                flush(pointy ? s.colour().times(0.85) : legs, 1f);
            }
            part(hx, hy, 0.42 * S);
            part(hx, hy + 0.18 * S, 0.2 * S);
            flush(s.colour(), 1f);
            disc(hx, hy + 0.17 * S, 0.16 * S, s.second().mix(s.colour(), 0.3), 0.9f, false);
            disc(hx, hy + 0.08 * S, 0.06 * S, Rgb.hex(0x181410), 1f, false);
            if (s.face()) {
                eye(hx - 0.17 * S, hy - 0.1 * S, 0.065 * S);
                eye(hx + 0.17 * S, hy - 0.1 * S, 0.065 * S);
            }
            return;
        }
        double bob = moving ? Math.abs(Trig.sin(phase)) * 0.05 * S : 0.01 * S * Trig.sin(phase);
        double y = cy - bob;
        for (int leg = 0; leg < 4; leg++) {
            double lx = cx + f * S * (leg < 2 ? -0.42 + leg * 0.12 : 0.3 + (leg - 2) * 0.12);
            double swing = moving ? Trig.sin(phase + (leg % 2 == 0 ? 0 : Math.PI) + leg * 0.4) * 0.18 * S : 0;
            part(lx, y + 0.3 * S, 0.13 * S);
            part(lx + swing, y + 0.62 * S, 0.1 * S);
            flush(leg % 2 == 0 ? legs.times(0.85) : legs, 1f);
        }
        double wag = Trig.sin(phase * 0.5) * 0.1 * S;
        part(cx - f * 0.75 * S, y - 0.1 * S, 0.16 * S);
        part(cx - f * 0.98 * S, y - 0.2 * S + wag, 0.13 * S);
        part(cx - f * 1.15 * S, y - 0.28 * S + wag * 1.5, 0.1 * S);
        flush(s.colour(), 1f);
        part(cx - f * 0.4 * S, y, 0.36 * S);
        part(cx, y - 0.02 * S, 0.4 * S);
        part(cx + f * 0.35 * S, y - 0.05 * S, 0.36 * S);
        double nod = moving ? Trig.sin(phase) * 0.04 * S : 0;
        part(cx + f * 0.72 * S, y - 0.4 * S + nod, 0.28 * S);
        part(cx + f * 0.98 * S, y - 0.33 * S + nod, 0.14 * S);
        part(cx + f * 0.62 * S, y - 0.68 * S + nod, 0.09 * S);
        part(cx + f * 0.8 * S, y - 0.7 * S + nod, 0.08 * S);
        flush(s.colour(), 1f);
        disc(cx + f * 1.1 * S, y - 0.33 * S + nod, 0.05 * S, Rgb.hex(0x181410), 1f, false);
        if (s.face()) {
            eye(cx + f * 0.8 * S, y - 0.46 * S + nod, 0.05 * S);
        }
    }

    private void fish(Subject s, double cx, double cy, double S, int f, double phase) {
        double wag = Trig.sin(phase * 2) * 0.12 * S;
        part(cx - f * 0.72 * S, cy + wag, 0.16 * S);
        part(cx - f * 0.88 * S, cy - 0.1 * S + wag * 1.4, 0.12 * S);
        part(cx - f * 0.88 * S, cy + 0.1 * S + wag * 1.4, 0.12 * S);
        flush(s.second().mix(s.colour(), 0.5), 0.95f);
        part(cx - f * 0.35 * S, cy, 0.24 * S);
        part(cx, cy, 0.32 * S);
        part(cx + f * 0.32 * S, cy + 0.02 * S, 0.24 * S);
        flush(s.colour(), 1f);
        if (s.face()) {
            eye(cx + f * 0.42 * S, cy - 0.07 * S, 0.05 * S);
        }
    }

    private void bird(Subject s, double cx, double cy, double S, int f, double phase) {
        double flap = Trig.sin(phase * 2.5);
        part(cx - f * 0.1 * S, cy - 0.35 * S * flap, 0.2 * S);
        part(cx - f * 0.25 * S, cy - 0.62 * S * flap, 0.13 * S);
        part(cx, cy, 0.24 * S);
        part(cx + f * 0.3 * S, cy - 0.1 * S, 0.15 * S);
        part(cx - f * 0.35 * S, cy + 0.03 * S, 0.12 * S);
        flush(s.colour(), 1f);
    }

    private void insect(Subject s, double cx, double cy, double S, double phase) {
        double flap = Math.abs(Trig.sin(phase * 9));
        disc(cx - 0.15 * S, cy - 0.35 * S - flap * 0.1 * S, 0.28 * S, Rgb.hex(0xF4F8FF), 0.55f, false);
        disc(cx + 0.15 * S, cy - 0.35 * S - flap * 0.1 * S, 0.28 * S, Rgb.hex(0xF4F8FF), 0.55f, false);
        part(cx - 0.2 * S, cy, 0.28 * S);
        part(cx + 0.2 * S, cy, 0.3 * S);
        flush(s.colour(), 1f);
        disc(cx, cy, 0.1 * S, s.second(), 0.9f, false);
        disc(cx - 0.4 * S, cy, 0.12 * S, s.second(), 0.9f, false);
    }

    private void flower(Subject s, double cx, double cy, double S, double phase) {
        double sway = Trig.sin(sec * 1.1 + phase) * 0.08 * S;
        Rgb stem = Rgb.hex(0x3A8A3A).mix(groundNear, 0.3);
        for (int k = 0; k < 6; k++) {
            double t = k / 5.0;
            disc(cx + sway * (1 - t), cy + S * (0.3 + t * 0.9), 0.05 * S, stem, 1f, false);
        }
        double hx = cx + sway;
        double turn = sec * 0.2 + phase;
        for (int p = 0; p < 6; p++) {
            double ang = turn + p * Math.PI / 3;
            disc(hx + Trig.cos(ang) * 0.24 * S, cy + Trig.sin(ang) * 0.24 * S, 0.17 * S, s.colour(), 1f, true);
        }
        disc(hx, cy, 0.14 * S, s.second(), 1f, true);
    }

    private void figure(Subject s, double cx, double cy, double S, int f, double phase, boolean moving) {
        Rgb body = s.colour();
        Rgb skin = s.second();
        double swing = moving ? Trig.sin(phase) * 0.16 * S : 0.02 * S * Trig.sin(phase);
        double bob = moving ? Math.abs(Trig.cos(phase)) * 0.04 * S : 0;
        double y = cy - bob;
        part(cx - 0.1 * S + swing, y + 0.55 * S, 0.1 * S);
        part(cx - 0.1 * S, y + 0.3 * S, 0.12 * S);
        part(cx + 0.1 * S - swing, y + 0.55 * S, 0.1 * S);
        part(cx + 0.1 * S, y + 0.3 * S, 0.12 * S);
        flush(body.times(0.7), 1f);
        part(cx, y + 0.02 * S, 0.26 * S);
        part(cx, y - 0.25 * S, 0.24 * S);
        part(cx - 0.3 * S - swing * 0.5, y - 0.05 * S, 0.09 * S);
        part(cx + 0.3 * S + swing * 0.5, y - 0.05 * S, 0.09 * S);
        flush(body, 1f);
        double hy = y - 0.62 * S;
        if (s.noun().startsWith("broccoli")) {
            for (int k = 0; k < 5; k++) {
                part(cx + (k - 2) * 0.14 * S, hy - 0.05 * S - (k % 2) * 0.1 * S, 0.16 * S);
            }
            flush(body.times(0.85), 1f);
        } else if (s.noun().startsWith("astronaut")) {
            part(cx, hy, 0.24 * S);
            flush(body, 1f);
            disc(cx + f * 0.06 * S, hy, 0.15 * S, skin, 1f, true);
            disc(cx + f * 0.02 * S, hy - 0.05 * S, 0.05 * S, Rgb.hex(0xFFFFFF), 0.6f, false);
            return;
        } else {
            part(cx, hy, 0.2 * S);
            flush(s.noun().startsWith("robot") ? body : skin, 1f);
        }
        if (s.face()) {
            eye(cx - 0.07 * S + f * 0.03 * S, hy - 0.02 * S, 0.04 * S);
            eye(cx + 0.07 * S + f * 0.03 * S, hy - 0.02 * S, 0.04 * S);
        }
    }

    private void vehicle(Subject s, double cx, double cy, double S, int f) {
        if (s.noun().startsWith("rocket")) {
            glow(cx, cy + 0.9 * S, S * 0.7, Rgb.hex(0xFF8A30), 0.8f);
            rect(cx - 0.18 * S, cy - 0.5 * S, cx + 0.18 * S, cy + 0.6 * S, s.colour(), 1f);
            disc(cx, cy - 0.5 * S, 0.18 * S, s.second(), 1f, true);
            disc(cx, cy - 0.05 * S, 0.08 * S, Rgb.hex(0x3A6AA0), 1f, false);
            return;
        }
        rect(cx - 0.8 * S, cy - 0.15 * S, cx + 0.8 * S, cy + 0.2 * S, s.colour(), 1f);
        rect(
                cx - 0.45 * S - f * 0.05 * S,
                cy - 0.42 * S,
                cx + 0.35 * S - f * 0.05 * S,
                cy - 0.14 * S,
                s.colour().times(0.9),
                1f);
        rect(
                cx - 0.38 * S - f * 0.05 * S,
                cy - 0.37 * S,
                cx + 0.28 * S - f * 0.05 * S,
                cy - 0.17 * S,
                skyHorizon.mix(Rgb.hex(0x203040), 0.5),
                1f);
        disc(cx - 0.5 * S, cy + 0.22 * S, 0.17 * S, s.second(), 1f, false);
        disc(cx + 0.5 * S, cy + 0.22 * S, 0.17 * S, s.second(), 1f, false);
        disc(cx - 0.5 * S, cy + 0.22 * S, 0.07 * S, Rgb.hex(0xB0B0B0), 1f, false);
        disc(cx + 0.5 * S, cy + 0.22 * S, 0.07 * S, Rgb.hex(0xB0B0B0), 1f, false);
        if (starry) {
            glow(cx + f * 0.85 * S, cy, S * 0.5, Rgb.hex(0xFFF0C0), 0.6f);
        }
    }

    private void boat(Subject s, double cx, double cy, double S, int f) {
        double bob = Trig.sin(sec * 2) * 0.04 * S;
        double deck = cy - 0.1 * S + bob;
        int y0 = Math.max(0, (int) deck);
        int y1 = Math.min(h - 1, (int) (deck + 0.3 * S));
        for (int y = y0; y <= y1; y++) {
            double t = (y - deck) / (0.3 * S);
            double half = S * (0.85 - 0.3 * t);
            rowSpan(y, cx - half + f * 0.1 * S * t, cx + half, s.colour());
        }
        double mast = cx + f * 0.05 * S;
        rect(mast - 0.02 * S, deck - 0.9 * S, mast + 0.02 * S, deck, Rgb.hex(0x3A2A1A), 1f);
        int s0 = Math.max(0, (int) (deck - 0.85 * S));
        for (int y = s0; y < (int) deck - 1 && y < h; y++) {
            double t = (y - (deck - 0.85 * S)) / (0.8 * S);
            rowSpan(
                    y,
                    f > 0 ? mast + 0.03 * S : mast - 0.03 * S - 0.6 * S * t,
                    f > 0 ? mast + 0.03 * S + 0.6 * S * t : mast - 0.03 * S,
                    s.second());
        }
    }

    private void rowSpan(int y, double x0, double x1, Rgb c) {
        if (y < 0 || y >= h) {
            return;
        }
        int a = Math.max(0, (int) Math.round(x0));
        int b = Math.min(w, (int) Math.round(x1));
        for (int x = a; x < b; x++) {
            blend(y * w + x, c.r(), c.g(), c.b(), 1f);
        }
    }

    private void round(Subject s, double cx, double cy, double S, double phase) {
        double squash = 1 + 0.03 * Trig.sin(phase);
        part(cx, cy, 0.5 * S * squash);
        flush(s.colour(), 1f);
        for (int k = -1; k <= 1; k += 2) {
            disc(cx + k * 0.22 * S, cy, 0.22 * S, s.colour().times(0.88), 0.35f, false);
        }
        disc(cx - 0.18 * S, cy - 0.2 * S, 0.12 * S, Rgb.hex(0xFFFFFF), 0.35f, false);
        rect(cx - 0.04 * S, cy - 0.62 * S, cx + 0.04 * S, cy - 0.42 * S, s.second(), 1f);
        if (s.face()) {
            eye(cx - 0.15 * S, cy - 0.05 * S, 0.07 * S);
            eye(cx + 0.15 * S, cy - 0.05 * S, 0.07 * S);
        }
    }

    // ---------------------------------------------------------------- particles, light, film

    private void paintParticles() {
        double H = 1.2;
        for (float[] p : specks) {
            Effect e = Effect.values()[(int) p[0]];
            double x;
            double y;
            switch (e) {
                case RAIN -> {
                    y = wrap(p[2] + sec * 1.6 * p[3], H) - 0.1;
                    x = p[1] + y * 0.12 - camX;
                    int px = (int) (x * h);
                    int py = (int) (y * h);
                    int len = Math.max(3, h / 40);
                    for (int k = 0; k < len; k++) {
                        int yy = py + k;
                        int xx = px + k / 8;
                        if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
                            add(yy * w + xx, 0.8f, 0.85f, 0.9f, 0.22f);
                        }
                    }
                }
                case SNOWFALL -> {
                    y = wrap(p[2] + sec * 0.12 * p[3], H) - 0.1;
                    x = p[1] + 0.02 * Trig.sin(sec * 1.3 + p[4]) - camX * 0.8;
                    disc(x * h, y * h, Math.max(1, h / 200.0 * p[3]), Rgb.hex(0xFFFFFF), 0.85f, false);
                }
                case FIRE -> {
                    double life = wrap(p[5] + sec * 0.9 * p[3], 1);
                    x = aspect * (0.15 + 0.7 * (p[1] / (aspect + 0.4))) + 0.03 * Trig.sin(sec * 5 + p[4]);
                    y = 1.0 - life * 0.45;
                    Rgb c = Rgb.hex(0xFFE060).mix(Rgb.hex(0xE02A10), life);
                    double r = h * 0.02 * (1.3 - life) * p[3];
                    glow(screenX(x, 1.2), screenY(y, 1.2), r * 2.5, c, (float) (0.9 * (1 - life)));
                }
                case SPLASH -> {
                    Actor lead = actors.isEmpty() ? null : actors.get(0);
                    double bx0 = lead == null ? aspect / 2 : lead.x0() + travel(lead);
                    double life = wrap(p[5] + sec * 1.4 * p[3], 1);
                    x = bx0 + (p[1] / aspect - 0.5) * 0.5 * life;
                    y = (lead == null ? 0.8 : lead.y0() + lead.size() * 0.6) - 0.35 * life * (1 - life) * p[3];
                    disc(
                            screenX(x, 1),
                            screenY(y, 1),
                            Math.max(1, h / 150.0),
                            Rgb.hex(0xE8F4FF),
                            (float) (1 - life),
                            false);
                }
                case BUBBLES -> {
                    y = 1.1 - wrap(p[2] + sec * 0.1 * p[3], H);
                    x = p[1] + 0.015 * Trig.sin(sec * 2 + p[4]);
                    double r = h * 0.008 * p[3];
                    disc(screenX(x, 1.5), screenY(y, 1.5), r, Rgb.hex(0xD8FFFF), 0.3f, false);
                    disc(screenX(x, 1.5) - r * 0.3, screenY(y, 1.5) - r * 0.3, r * 0.3, Rgb.hex(0xFFFFFF), 0.7f, false);
                }
                case SPARKLES -> {
                    x = p[1] + 0.02 * Trig.sin(sec * 0.7 + p[4]);
                    y = 0.2 + 0.7 * p[2] + 0.02 * Trig.cos(sec * 0.9 + p[4]);
                    float blink = Math.max(0, Trig.sin(sec * 3 * p[3] + p[4]));
                    glow(screenX(x, 1.3), screenY(y, 1.3), h * 0.018, accent.mix(Rgb.hex(0xFFF0A0), 0.5), blink);
                }
                default -> {}
            }
        }
        if (scene.effects().contains(Effect.FIRE)) {
            glow(w / 2.0, h * 1.05, h * 0.8, Rgb.hex(0xFF6A20), 0.35f + 0.05f * Trig.sin(sec * 11));
        }
    }

    private static double wrap(double v, double m) {
        return v - Math.floor(v / m) * m;
    }

    private void grade(int frame) {
        var looks = scene.looks();
        boolean rays = scene.effects().contains(Effect.RAYS) && sunVisible;
        boolean golden = scene.light() == Light.GOLDEN;
        boolean mist = looks.contains(Look.MIST);
        boolean contrast = looks.contains(Look.HIGH_CONTRAST);
        boolean vivid = looks.contains(Look.VIVID);
        boolean mono = looks.contains(Look.MONOCHROME);
        boolean sepia = looks.contains(Look.VINTAGE);
        boolean grain = looks.contains(Look.GRAIN) || sepia;
        double sx = screenX(sunX, 12);
        double sy = screenY(sunY, 12);
        double hz = horizonScreen();
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

    /** Box blur of the whole buffer, horizontally then vertically, with running sums. */
    private void blur(int radius) {
        float[] tmp = new float[Math.max(w, h)];
        for (float[] ch : new float[][] {red, green, blue}) {
            for (int y = 0; y < h; y++) {
                boxLine(ch, y * w, 1, w, radius, tmp);
            }
            for (int x = 0; x < w; x++) {
                boxLine(ch, x, w, h, radius, tmp);
            }
        }
    }

    private static void boxLine(float[] ch, int start, int stride, int n, int radius, float[] tmp) {
        float sum = 0;
        for (int k = -radius; k <= radius; k++) {
            sum += ch[start + stride * Math.max(0, Math.min(n - 1, k))];
        }
        float inv = 1f / (2 * radius + 1);
        for (int i = 0; i < n; i++) {
            tmp[i] = sum * inv;
            int out = Math.max(0, i - radius);
            int in = Math.min(n - 1, i + radius + 1);
            sum += ch[start + stride * in] - ch[start + stride * out];
        }
        for (int i = 0; i < n; i++) {
            ch[start + stride * i] = tmp[i];
        }
    }

    private void label() {
        int scale = Math.max(1, (int) Math.round(h / 300.0));
        String text = "procedural";
        int textW = PixelFont.width(text) * scale;
        int x0 = w - textW - 6 * scale;
        int y0 = h - (PixelFont.HEIGHT + 5) * scale;
        PixelFont.draw(text, x0 + scale, y0 + scale, scale, (x, y) -> {
            if (x >= 0 && y >= 0 && x < w && y < h) {
                blend(y * w + x, 0f, 0f, 0f, 0.4f);
            }
        });
        PixelFont.draw(text, x0, y0, scale, (x, y) -> {
            if (x >= 0 && y >= 0 && x < w && y < h) {
                blend(y * w + x, 1f, 1f, 1f, 0.6f);
            }
        });
    }
}
