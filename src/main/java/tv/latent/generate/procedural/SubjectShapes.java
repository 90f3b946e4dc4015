package tv.latent.generate.procedural;

import tv.latent.generate.internal.Trig;
import tv.latent.generate.procedural.Scene.Light;
import tv.latent.generate.procedural.Scene.Subject;

/**
 * What each kind of subject looks like: soft bodies built from overlapping circles (a body is
 * "parts" flushed as one blob, so limbs merge into it), with eyes, wings, wheels, sails and
 * petals. Each draws at a screen centre and a size {@code S} in pixels, facing {@code f} (1
 * right, -1 left), animated by {@code phase}. In golden, dawn and neon light the bodies catch a
 * rim of sunlight on the sun's side.
 *
 * <p>Not thread-safe: part of one painter; it keeps the parts of the body being built.
 */
final class SubjectShapes {
    private final Palette palette;
    private final Canvas canvas;
    private final View view;
    /** The rim light of bodies, or null for none. */
    private final Rgb rim;
    /** Screen x of the sun, which decides which side of a body its rim light is on. */
    private final double rimX;

    private final double[] bx = new double[16];
    private final double[] by = new double[16];
    private final double[] br = new double[16];
    private int bn;

    SubjectShapes(Scene scene, Palette palette, Canvas canvas, View view) {
        this.palette = palette;
        this.canvas = canvas;
        this.view = view;
        Light light = scene.light();
        boolean rimLit = light == Light.GOLDEN || light == Light.DAWN || light == Light.NEON;
        this.rim = rimLit ? palette.sun() : null;
        this.rimX = palette.sunX() * canvas.h;
    }

    /** Adds a circle to the body being built. */
    private void part(double x, double y, double r) {
        bx[bn] = x;
        by[bn] = y;
        br[bn] = r;
        bn++;
    }

    /** Paints the body built so far as one blob and starts the next. */
    private void flush(Rgb c, float alpha) {
        if (bn > 0) {
            canvas.blob(bx, by, br, bn, c, alpha, rim, rimX);
        }
        bn = 0;
    }

    private static Rgb darker(Subject s) {
        Rgb c = s.colour();
        Rgb d = s.second();
        return d.r() + d.g() + d.b() < c.r() + c.g() + c.b() ? d : c.times(0.7);
    }

    private void eye(double x, double y, double r) {
        canvas.disc(x, y, r, Rgb.hex(0x141414), 1f, false);
        canvas.disc(x - r * 0.3, y - r * 0.3, r * 0.35, Rgb.hex(0xFFFFFF), 0.9f, false);
    }

    void quadruped(Subject s, double cx, double cy, double S, int f, double phase, boolean moving, boolean front) {
        Rgb legs = darker(s);
        if (front) {
            double breathe = 1 + 0.02 * Trig.sin(phase);
            double turn = Trig.sin(view.sec * 0.9) * 0.05 * S;
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
            canvas.disc(hx, hy + 0.17 * S, 0.16 * S, s.second().mix(s.colour(), 0.3), 0.9f, false);
            canvas.disc(hx, hy + 0.08 * S, 0.06 * S, Rgb.hex(0x181410), 1f, false);
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
        canvas.disc(cx + f * 1.1 * S, y - 0.33 * S + nod, 0.05 * S, Rgb.hex(0x181410), 1f, false);
        if (s.face()) {
            eye(cx + f * 0.8 * S, y - 0.46 * S + nod, 0.05 * S);
        }
    }

    void fish(Subject s, double cx, double cy, double S, int f, double phase) {
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

    void bird(Subject s, double cx, double cy, double S, int f, double phase) {
        double flap = Trig.sin(phase * 2.5);
        part(cx - f * 0.1 * S, cy - 0.35 * S * flap, 0.2 * S);
        part(cx - f * 0.25 * S, cy - 0.62 * S * flap, 0.13 * S);
        part(cx, cy, 0.24 * S);
        part(cx + f * 0.3 * S, cy - 0.1 * S, 0.15 * S);
        part(cx - f * 0.35 * S, cy + 0.03 * S, 0.12 * S);
        flush(s.colour(), 1f);
    }

    void insect(Subject s, double cx, double cy, double S, double phase) {
        double flap = Math.abs(Trig.sin(phase * 9));
        canvas.disc(cx - 0.15 * S, cy - 0.35 * S - flap * 0.1 * S, 0.28 * S, Rgb.hex(0xF4F8FF), 0.55f, false);
        canvas.disc(cx + 0.15 * S, cy - 0.35 * S - flap * 0.1 * S, 0.28 * S, Rgb.hex(0xF4F8FF), 0.55f, false);
        part(cx - 0.2 * S, cy, 0.28 * S);
        part(cx + 0.2 * S, cy, 0.3 * S);
        flush(s.colour(), 1f);
        canvas.disc(cx, cy, 0.1 * S, s.second(), 0.9f, false);
        canvas.disc(cx - 0.4 * S, cy, 0.12 * S, s.second(), 0.9f, false);
    }

    void flower(Subject s, double cx, double cy, double S, double phase) {
        double sway = Trig.sin(view.sec * 1.1 + phase) * 0.08 * S;
        Rgb stem = Rgb.hex(0x3A8A3A).mix(palette.groundNear(), 0.3);
        for (int k = 0; k < 6; k++) {
            double t = k / 5.0;
            canvas.disc(cx + sway * (1 - t), cy + S * (0.3 + t * 0.9), 0.05 * S, stem, 1f, false);
        }
        double hx = cx + sway;
        double turn = view.sec * 0.2 + phase;
        for (int p = 0; p < 6; p++) {
            double ang = turn + p * Math.PI / 3;
            canvas.disc(hx + Trig.cos(ang) * 0.24 * S, cy + Trig.sin(ang) * 0.24 * S, 0.17 * S, s.colour(), 1f, true);
        }
        canvas.disc(hx, cy, 0.14 * S, s.second(), 1f, true);
    }

    void figure(Subject s, double cx, double cy, double S, int f, double phase, boolean moving) {
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
            canvas.disc(cx + f * 0.06 * S, hy, 0.15 * S, skin, 1f, true);
            canvas.disc(cx + f * 0.02 * S, hy - 0.05 * S, 0.05 * S, Rgb.hex(0xFFFFFF), 0.6f, false);
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

    void vehicle(Subject s, double cx, double cy, double S, int f) {
        if (s.noun().startsWith("rocket")) {
            canvas.glow(cx, cy + 0.9 * S, S * 0.7, Rgb.hex(0xFF8A30), 0.8f);
            canvas.rect(cx - 0.18 * S, cy - 0.5 * S, cx + 0.18 * S, cy + 0.6 * S, s.colour(), 1f);
            canvas.disc(cx, cy - 0.5 * S, 0.18 * S, s.second(), 1f, true);
            canvas.disc(cx, cy - 0.05 * S, 0.08 * S, Rgb.hex(0x3A6AA0), 1f, false);
            return;
        }
        canvas.rect(cx - 0.8 * S, cy - 0.15 * S, cx + 0.8 * S, cy + 0.2 * S, s.colour(), 1f);
        canvas.rect(
                cx - 0.45 * S - f * 0.05 * S,
                cy - 0.42 * S,
                cx + 0.35 * S - f * 0.05 * S,
                cy - 0.14 * S,
                s.colour().times(0.9),
                1f);
        canvas.rect(
                cx - 0.38 * S - f * 0.05 * S,
                cy - 0.37 * S,
                cx + 0.28 * S - f * 0.05 * S,
                cy - 0.17 * S,
                palette.skyHorizon().mix(Rgb.hex(0x203040), 0.5),
                1f);
        canvas.disc(cx - 0.5 * S, cy + 0.22 * S, 0.17 * S, s.second(), 1f, false);
        canvas.disc(cx + 0.5 * S, cy + 0.22 * S, 0.17 * S, s.second(), 1f, false);
        canvas.disc(cx - 0.5 * S, cy + 0.22 * S, 0.07 * S, Rgb.hex(0xB0B0B0), 1f, false);
        canvas.disc(cx + 0.5 * S, cy + 0.22 * S, 0.07 * S, Rgb.hex(0xB0B0B0), 1f, false);
        if (palette.starry()) {
            canvas.glow(cx + f * 0.85 * S, cy, S * 0.5, Rgb.hex(0xFFF0C0), 0.6f);
        }
    }

    void boat(Subject s, double cx, double cy, double S, int f) {
        double bob = Trig.sin(view.sec * 2) * 0.04 * S;
        double deck = cy - 0.1 * S + bob;
        int y0 = Math.max(0, (int) deck);
        int y1 = Math.min(canvas.h - 1, (int) (deck + 0.3 * S));
        for (int y = y0; y <= y1; y++) {
            double t = (y - deck) / (0.3 * S);
            double half = S * (0.85 - 0.3 * t);
            canvas.rowSpan(y, cx - half + f * 0.1 * S * t, cx + half, s.colour());
        }
        double mast = cx + f * 0.05 * S;
        canvas.rect(mast - 0.02 * S, deck - 0.9 * S, mast + 0.02 * S, deck, Rgb.hex(0x3A2A1A), 1f);
        int s0 = Math.max(0, (int) (deck - 0.85 * S));
        for (int y = s0; y < (int) deck - 1 && y < canvas.h; y++) {
            double t = (y - (deck - 0.85 * S)) / (0.8 * S);
            canvas.rowSpan(
                    y,
                    f > 0 ? mast + 0.03 * S : mast - 0.03 * S - 0.6 * S * t,
                    f > 0 ? mast + 0.03 * S + 0.6 * S * t : mast - 0.03 * S,
                    s.second());
        }
    }

    void round(Subject s, double cx, double cy, double S, double phase) {
        double squash = 1 + 0.03 * Trig.sin(phase);
        part(cx, cy, 0.5 * S * squash);
        flush(s.colour(), 1f);
        for (int k = -1; k <= 1; k += 2) {
            canvas.disc(cx + k * 0.22 * S, cy, 0.22 * S, s.colour().times(0.88), 0.35f, false);
        }
        canvas.disc(cx - 0.18 * S, cy - 0.2 * S, 0.12 * S, Rgb.hex(0xFFFFFF), 0.35f, false);
        canvas.rect(cx - 0.04 * S, cy - 0.62 * S, cx + 0.04 * S, cy - 0.42 * S, s.second(), 1f);
        if (s.face()) {
            eye(cx - 0.15 * S, cy - 0.05 * S, 0.07 * S);
            eye(cx + 0.15 * S, cy - 0.05 * S, 0.07 * S);
        }
    }
}
