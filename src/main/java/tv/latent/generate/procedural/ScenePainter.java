package tv.latent.generate.procedural;

import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.procedural.Scene.Camera;
import tv.latent.generate.procedural.Scene.Place;

/**
 * Paints the frames of one {@link Scene} as a small animated painting, in layers: a backdrop
 * (a {@link Sky}, parallax {@link Layers} and the {@link Ground}, or a {@link Room}, or an
 * {@link Aerial} view), the {@link Cast} of subjects, {@link Particles}, the {@link FilmLook},
 * then a "procedural" label. The {@link Palette} holds the colours, the {@link View} the
 * camera, the {@link Canvas} the pixels.
 *
 * <p>All randomness comes from the seed, drawn in a fixed order when the painter is made
 * (noise table, palette, camera drift, stars, layers, cast, particles), and all arithmetic is
 * exact IEEE or table based, so the same scene, seed and size paint the same bytes anywhere.
 * A frame depends only on its index, not on the frames painted before it.
 *
 * <p>Not thread-safe: one painter per render; it owns its frame buffers.
 */
final class ScenePainter {
    private final Scene scene;
    private final int fps;
    private final Canvas canvas;
    private final View view;
    private final Sky sky;
    private final Layers layers;
    private final Ground ground;
    private final Room room;
    private final Aerial aerial;
    private final Cast cast;
    private final Particles particles;
    private final FilmLook film;

    ScenePainter(Scene scene, long seed, int width, int height, int fps) {
        this.scene = scene;
        this.fps = fps;
        this.canvas = new Canvas(width, height);
        float aspect = (float) width / height;
        // The order of the draws below is part of the output: changing it changes every frame.
        EngineRandom rng = new EngineRandom(seed);
        ValueNoise noise = new ValueNoise(rng);
        Palette palette = Palette.of(scene, rng, aspect);
        double driftX = rng.range(-1, 1);
        double driftY = rng.range(-1, 1);
        double aerialHeading = rng.range(0, 2 * Math.PI);
        double cameraSpeed = Math.max(0.6, Math.min(1.8, scene.motion().speed()));
        this.view = new View(scene, aspect, height, cameraSpeed, driftX, noise);
        this.sky = new Sky(scene, palette, canvas, view, seed, rng);
        this.layers = new Layers(scene, palette, canvas, view, noise, seed, rng);
        this.cast = new Cast(scene, palette, canvas, view, rng);
        this.particles = new Particles(scene, palette, canvas, view, cast, rng);
        this.ground = new Ground(scene, palette, canvas, view, noise);
        this.room = new Room(scene, palette, canvas, view, seed);
        this.aerial = new Aerial(scene, palette, canvas, view, noise, seed, cameraSpeed, aerialHeading, driftY);
        this.film = new FilmLook(scene, palette, canvas, view, seed);
    }

    /** Paints frame {@code index} and writes it as packed RGB24 into {@code out} (w*h*3 bytes). */
    void paint(int index, byte[] out) {
        view.moveTo((double) index / fps, cast);
        if (scene.camera() == Camera.AERIAL) {
            aerial.paint();
        } else if (scene.places().contains(Place.ROOM)) {
            room.paint();
        } else {
            sky.paint();
            layers.paint(false);
            if (!scene.places().contains(Place.SPACE)) {
                ground.paint();
            }
            layers.paint(true);
        }
        film.defocusBackdrop();
        cast.paint();
        particles.paint();
        film.grade(index);
        film.letterbox();
        label();
        canvas.writeRgb24(out);
    }

    /** "procedural", small, in the bottom-right corner, with a soft shadow: this is not AI. */
    private void label() {
        int w = canvas.w;
        int h = canvas.h;
        int scale = Math.max(1, (int) Math.round(h / 300.0));
        String text = "procedural";
        int textW = PixelFont.width(text) * scale;
        int x0 = w - textW - 6 * scale;
        int y0 = h - (PixelFont.HEIGHT + 5) * scale;
        PixelFont.draw(text, x0 + scale, y0 + scale, scale, (x, y) -> {
            if (x >= 0 && y >= 0 && x < w && y < h) {
                canvas.blend(y * w + x, 0f, 0f, 0f, 0.4f);
            }
        });
        PixelFont.draw(text, x0, y0, scale, (x, y) -> {
            if (x >= 0 && y >= 0 && x < w && y < h) {
                canvas.blend(y * w + x, 1f, 1f, 1f, 0.6f);
            }
        });
    }
}
