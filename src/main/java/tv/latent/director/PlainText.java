package tv.latent.director;

/**
 * Text from a model (or a person) made safe to show and to pass on as one line: every control
 * character, C0 (newlines and tabs included), DEL and C1, becomes a space; the invisible
 * characters that reorder or hide text (bidirectional embeddings, overrides and isolates, the
 * directional marks, zero-width spaces and joiners, the byte-order mark) are removed; runs of
 * spaces become one; the ends are stripped. So a title never breaks a log line, a playlist, an
 * EPG entry or a page, and never shows text other than what it reads as.
 *
 * <pre>{@code
 * PlainText.line("Night\u202Egnirts\nbreak") // "Nightgnirts break"
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
final class PlainText {
    private PlainText() {}

    /** {@code text} as one clean line; null stays null. */
    static String line(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (hidden(c)) {
                continue;
            }
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            out.appendCodePoint(c);
        }
        return out.toString();
    }

    /** Characters that change how the text around them is shown without showing anything themselves. */
    private static boolean hidden(int c) {
        return c == 0x061C // Arabic letter mark
                || c == 0x200B // zero-width space
                || c == 0x200C // zero-width non-joiner
                || c == 0x200D // zero-width joiner
                || c == 0x200E // left-to-right mark
                || c == 0x200F // right-to-left mark
                || c >= 0x202A && c <= 0x202E // embeddings and overrides
                || c == 0x2060 // word joiner
                || c >= 0x2066 && c <= 0x2069 // isolates
                || c == 0xFEFF; // byte-order mark, zero-width no-break space
    }
}
