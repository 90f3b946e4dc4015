package tv.latent.generate.procedural;

/**
 * The frame being painted, as three planes of floats (0..1 per channel; values outside are
 * kept until the frame is written out), and the raster primitives that draw on it. Coordinates
 * are pixels; every primitive clips to the frame.
 *
 * <p>Not thread-safe: one canvas per painter.
 */
final class Canvas {
    final int w;
    final int h;
    final float[] red;
    final float[] green;
    final float[] blue;

    Canvas(int width, int height) {
        this.w = width;
        this.h = height;
        this.red = new float[width * height];
        this.green = new float[width * height];
        this.blue = new float[width * height];
    }

    void set(int i, float r, float g, float b) {
        red[i] = r;
        green[i] = g;
        blue[i] = b;
    }

    void fillRow(int y, float r, float g, float b) {
        int i = y * w;
        for (int x = 0; x < w; x++, i++) {
            red[i] = r;
            green[i] = g;
            blue[i] = b;
        }
    }

    /** Moves pixel {@code i} towards a colour by {@code a} (0 keeps it, 1 replaces it). */
    void blend(int i, float r, float g, float b, float a) {
        red[i] += (r - red[i]) * a;
        green[i] += (g - green[i]) * a;
        blue[i] += (b - blue[i]) * a;
    }

    /** Adds light: a colour times {@code k}. */
    void add(int i, float r, float g, float b, float k) {
        red[i] += r * k;
        green[i] += g * k;
        blue[i] += b * k;
    }

    /** An anti-aliased disc; {@code shaded} darkens it towards the lower right like a lit ball. */
    void disc(double cx, double cy, double r, Rgb c, float alpha, boolean shaded) {
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

    void rect(double x0, double y0, double x1, double y1, Rgb c, float alpha) {
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

    /** One opaque horizontal run of row {@code y}. */
    void rowSpan(int y, double x0, double x1, Rgb c) {
        if (y < 0 || y >= h) {
            return;
        }
        int a = Math.max(0, (int) Math.round(x0));
        int b = Math.min(w, (int) Math.round(x1));
        for (int x = a; x < b; x++) {
            blend(y * w + x, c.r(), c.g(), c.b(), 1f);
        }
    }

    /** Added light falling off as (1 - d²)² to nothing at {@code radius}. */
    void glow(double cx, double cy, double radius, Rgb c, float strength) {
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

    /**
     * Soft union of {@code n} circles (a metaball field), shaded lighter at the top like a lit
     * body. With a {@code rim} light, the edge on the side of {@code rimX} catches it.
     */
    void blob(double[] xs, double[] ys, double[] rs, int n, Rgb c, float alpha, Rgb rim, double rimX) {
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
        double rimSide = rimX > (minX + maxX) / 2 ? 1 : -1;
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
                double side = (x - (minX + maxX) / 2) * rimSide / halfWidth;
                if (rim != null && f < 1.5 && side > 0) {
                    float k = (float) ((1.5 - f) * 0.9 * Math.min(1, side));
                    r += rim.r() * k;
                    g += rim.g() * k;
                    b += rim.b() * k;
                }
                blend(y * w + x, r, g, b, a);
            }
        }
    }

    /** Box blur of the whole frame, horizontally then vertically, with running sums. */
    void blur(int radius) {
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

    /** Writes the frame as packed RGB24 ({@code w*h*3} bytes), clamping each channel. */
    void writeRgb24(byte[] out) {
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
}
