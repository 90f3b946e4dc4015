package tv.latent.generate.procedural;

import java.util.ArrayList;
import java.util.List;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Camera;
import tv.latent.generate.procedural.Scene.Kind;
import tv.latent.generate.procedural.Scene.Look;
import tv.latent.generate.procedural.Scene.Motion;
import tv.latent.generate.procedural.Scene.Place;
import tv.latent.generate.procedural.Scene.Subject;

/**
 * Who is on screen and how they move: one actor per subject counted in the prompt (birds or
 * fish when it names none), placed by kind (birds in the sky, boats on the water, insects
 * around a flower, the rest on the ground at their depth), then moved each frame by the scene's
 * motion: travelling, falling or rising, coming closer or going away, buzzing and bobbing. The
 * {@link SubjectShapes} draw them.
 *
 * <p>Not thread-safe: part of one painter.
 */
final class Cast {
    private final Scene scene;
    private final Canvas canvas;
    private final View view;
    private final SubjectShapes shapes;
    private final List<Actor> actors = new ArrayList<>();

    /**
     * One subject on screen: where it starts (world units), how big, at what depth, which way
     * it faces (1 right, -1 left), its animation phase and how much it wanders.
     */
    record Actor(
            Subject subject,
            double x0,
            double y0,
            double size,
            double depth,
            int facing,
            double phase,
            double wander) {}

    /** Places the actors, drawing their sizes, places and phases from {@code rng} in prompt order. */
    Cast(Scene scene, Palette palette, Canvas canvas, View view, EngineRandom rng) {
        this.scene = scene;
        this.canvas = canvas;
        this.view = view;
        this.shapes = new SubjectShapes(scene, palette, canvas, view);
        build(palette, rng);
    }

    boolean isEmpty() {
        return actors.isEmpty();
    }

    /** The first actor, the one a following camera keeps in frame. */
    Actor lead() {
        return actors.get(0);
    }

    private void build(Palette palette, EngineRandom rng) {
        float aspect = view.aspect;
        List<Subject> subjects = scene.subjects();
        boolean underwater = scene.places().contains(Place.UNDERWATER);
        boolean space = scene.places().contains(Place.SPACE);
        if (subjects.isEmpty()) {
            Rgb dark = palette.skyTop().mix(Rgb.hex(0x101010), 0.7);
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

    /** How far (world x) an actor has travelled {@code sec} seconds into the clip. */
    double travel(Actor a, double sec) {
        Motion m = scene.motion();
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

    /** Paints every actor, in order, at the view's time. */
    void paint() {
        for (Actor a : actors) {
            paint(a);
        }
    }

    private void paint(Actor a) {
        double sec = view.sec;
        Subject s = a.subject();
        Motion m = scene.motion();
        double depth = a.depth();
        if (m.approach() != 0) {
            depth = depth / Math.max(0.3, 1 + 0.3 * m.approach() * m.speed() * sec);
        }
        double wx = a.x0() + travel(a, sec);
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
        double cx = view.screenX(wx, depth);
        double cy = view.screenY(wy, depth);
        double size = a.size() / depth * view.zoomAt(depth) * canvas.h;
        if (cx < -size * 3 || cx > canvas.w + size * 3) {
            return;
        }
        int f = a.facing();
        boolean front = scene.looks().contains(Look.FRONT_VIEW) || m.approach() > 0;
        switch (s.kind()) {
            case QUADRUPED -> shapes.quadruped(s, cx, cy, size, f, phase, m.moving(), front);
            case FISH -> shapes.fish(s, cx, cy, size, f, phase);
            case BIRD -> shapes.bird(s, cx, cy, size, f, phase);
            case INSECT -> shapes.insect(s, cx, cy, size, phase);
            case FLOWER -> shapes.flower(s, cx, cy, size, a.phase());
            case FIGURE -> shapes.figure(s, cx, cy, size, f, phase, m.moving());
            case VEHICLE -> shapes.vehicle(s, cx, cy, size, f);
            case BOAT -> shapes.boat(s, cx, cy, size, f);
            case ROUND -> shapes.round(s, cx, cy, size, phase);
        }
    }
}
