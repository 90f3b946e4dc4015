package tv.latent.generate.procedural;

import java.util.Map;

/** A tiny 5×7 bitmap font for the renderer's label: no font files, no AWT. Stateless. */
final class PixelFont {
    static final int HEIGHT = 7;
    private static final int WIDTH = 5;

    private static final Map<Character, String[]> GLYPHS = Map.of(
            'p', new String[] {".....", ".....", "####.", "#...#", "####.", "#....", "#...."},
            'r', new String[] {".....", ".....", "#.##.", "##..#", "#....", "#....", "#...."},
            'o', new String[] {".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###."},
            'c', new String[] {".....", ".....", ".###.", "#....", "#....", "#...#", ".###."},
            'e', new String[] {".....", ".....", ".###.", "#...#", "#####", "#....", ".###."},
            'd', new String[] {"....#", "....#", ".####", "#...#", "#...#", "#...#", ".####"},
            'u', new String[] {".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#"},
            'a', new String[] {".....", ".....", ".###.", "....#", ".####", "#...#", ".####"},
            'l', new String[] {".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."});

    private PixelFont() {}

    @FunctionalInterface
    interface Plot {
        void pixel(int x, int y);
    }

    /** Width in font pixels of a text (one blank column between letters). */
    static int width(String text) {
        return text.length() * (WIDTH + 1) - 1;
    }

    /** Plots the lit pixels of {@code text} with its top-left at (x, y); unknown characters are blank. */
    static void draw(String text, int x, int y, int scale, Plot plot) {
        for (int c = 0; c < text.length(); c++) {
            String[] glyph = GLYPHS.get(text.charAt(c));
            if (glyph == null) {
                continue;
            }
            for (int row = 0; row < HEIGHT; row++) {
                for (int col = 0; col < WIDTH; col++) {
                    if (glyph[row].charAt(col) == '#') {
                        int px = x + (c * (WIDTH + 1) + col) * scale;
                        int py = y + row * scale;
                        for (int sy = 0; sy < scale; sy++) {
                            for (int sx = 0; sx < scale; sx++) {
                                plot.pixel(px + sx, py + sy);
                            }
                        }
                    }
                }
            }
        }
    }
}
