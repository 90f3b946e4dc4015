package tv.latent.generate.procedural;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Look;
import tv.latent.generate.procedural.Scene.Place;

/**
 * The colours of one scene and seed, and where its sun is. The light sets the base colours
 * (one row of {@link #BY_LIGHT} each); desert, snow, candy and rooms tint the ground and sky; a
 * colour word of the prompt becomes the accent; the seed jitters the sky and ground a little
 * and places the sun along the horizon. Immutable.
 *
 * @param accent the prompt's first colour word, else the light's own highlight colour
 * @param sunX the sun's world x (screen heights from the left)
 * @param sunY the sun's world y (screen heights from the top)
 * @param sunVisible whether a sun (or moon) shows: not indoors, not under an overcast sky
 * @param starry whether stars and lit windows show: night, neon and space
 */
record Palette(
        Rgb skyTop,
        Rgb skyHorizon,
        Rgb groundFar,
        Rgb groundNear,
        Rgb sun,
        Rgb fog,
        Rgb accent,
        float sunX,
        float sunY,
        boolean sunVisible,
        boolean starry) {

    /** A light's colours before places and the seed change them; {@code sunY} maps the horizon to the sun's y. */
    private record Base(
            Rgb top, Rgb horizon, Rgb groundFar, Rgb groundNear, Rgb sun, Rgb fog, DoubleUnaryOperator sunY) {
        Base(int top, int horizon, int groundFar, int groundNear, int sun, int fog, DoubleUnaryOperator sunY) {
            this(
                    Rgb.hex(top),
                    Rgb.hex(horizon),
                    Rgb.hex(groundFar),
                    Rgb.hex(groundNear),
                    Rgb.hex(sun),
                    Rgb.hex(fog),
                    sunY);
        }
    }

    private static final Map<Light, Base> BY_LIGHT = new EnumMap<>(Map.of(
            // light: sky top, sky at the horizon, ground far, ground near, sun, fog; the sun's y from the horizon's
            Light.DAY, new Base(0x3A78D8, 0xB8DAF4, 0x6A9A4A, 0x3A6A2A, 0xFFF8E0, 0xC8DCF0, hz -> 0.16),
            Light.GOLDEN, new Base(0x3A4580, 0xFF9A48, 0x8A5A3A, 0x4A3020, 0xFFC870, 0xF0A070, hz -> hz - 0.1),
            Light.DAWN, new Base(0x5A6AB0, 0xFFB8A0, 0x7A8A6A, 0x3A4A30, 0xFFE0B0, 0xF8C8C0, hz -> hz - 0.14),
            Light.NIGHT, new Base(0x04081C, 0x1A2450, 0x0C1228, 0x060A16, 0xE8ECFF, 0x20284A, hz -> 0.2),
            Light.NEON, new Base(0x0A0620, 0x5A1A6A, 0x140C28, 0x0A0614, 0xFF40C0, 0x3A1A5A, hz -> 0.25),
            Light.OVERCAST, new Base(0x6A727C, 0xB8BEC4, 0x5A6A5A, 0x3A463A, 0xE0E4E8, 0xB0B6BC, hz -> 0.2),
            Light.UNDERWATER, new Base(0x4AD0D0, 0x0A5A70, 0x3A7A70, 0x8A8A60, 0xC0FFF0, 0x0A5A6A, hz -> -0.2),
            Light.SPACE, new Base(0x020208, 0x140A2A, 0x5A5A60, 0x303036, 0xFFF4E0, 0x100820, hz -> 0.3),
            Light.INDOOR, new Base(0x3A2A22, 0x5A4030, 0x4A3020, 0x2A1A12, 0xFFC080, 0x3A2A20, hz -> 0.3)));

    /** Draws the palette's random parts (4 jitters of 3 draws, then the sun's x) from {@code rng}. */
    static Palette of(Scene scene, EngineRandom rng, float aspect) {
        Light light = scene.light();
        Base base = BY_LIGHT.get(light);
        Rgb top = base.top();
        Rgb hor = base.horizon();
        Rgb gFar = base.groundFar();
        Rgb gNear = base.groundNear();
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
        Rgb accent = light == Light.NEON ? Rgb.hex(0x30E8FF) : base.sun();
        if (!scene.freeColours().isEmpty()) {
            accent = scene.freeColours().get(0);
            hor = hor.mix(accent, 0.25);
        }
        double jitter = scene.looks().contains(Look.VIVID) ? 0.05 : 0.035;
        Rgb skyTop = top.jitter(rng, jitter);
        Rgb skyHorizon = hor.jitter(rng, jitter);
        Rgb groundFar = gFar.jitter(rng, jitter);
        Rgb groundNear = gNear.jitter(rng, jitter);
        float sunX = (float) rng.range(0.2, aspect - 0.2);
        return new Palette(
                skyTop,
                skyHorizon,
                groundFar,
                groundNear,
                base.sun(),
                base.fog(),
                accent,
                sunX,
                (float) base.sunY().applyAsDouble(scene.horizon()),
                light != Light.INDOOR
                        && light != Light.OVERCAST
                        && !scene.places().contains(Place.ROOM),
                light == Light.NIGHT || light == Light.NEON || light == Light.SPACE);
    }
}
