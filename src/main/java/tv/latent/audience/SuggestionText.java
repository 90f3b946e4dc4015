package tv.latent.audience;

import java.text.Normalizer;
import java.util.List;
import java.util.regex.Pattern;
import tv.latent.audience.Reply.Why;
import tv.latent.moderation.TextFolding;

/**
 * What a viewer typed, made fit to store, show and adapt, or refused with a reason: binary,
 * control characters, direction overrides and links are refused; invisible characters are
 * removed, spacing is tidied, Unicode is composed (NFC). Markup stays as the characters the
 * viewer typed (it is text: the web escapes it, the directors take it out of prompts). Also the
 * folded form in which two suggestions count as the same, and when two count as nearly the same.
 * Stateless.
 */
final class SuggestionText {
    private SuggestionText() {}

    /** Shortest and longest suggestion, in characters (code points) after tidying. */
    static final int MIN = 3;

    static final int MAX = 300;
    /** Longest display name, in characters. */
    static final int MAX_NAME = 32;
    /** Longer raw input is refused before it is looked at (the web bounds bodies anyway). */
    private static final int MAX_RAW = 8_192;
    /** Longest run of one character in a suggestion or name as shown ("wow!!!!!"). */
    private static final int SHOWN_RUN = 5;
    /** Longest run of one letter in the normal form, so that stretched words count as the same. */
    private static final int NORMAL_RUN = 2;

    private static final Pattern LINK =
            Pattern.compile("(?i)(?:\\b(?:https?|ftps?|file|javascript|vbscript|data|mailto|wss?|tg|ipfs)\\s*:"
                    + "|\\bwww\\s*\\."
                    + "|\\b[\\p{L}\\p{N}-]{2,63}\\s*(?:\\.|\\[dot]|\\(dot\\)|\\sdot\\s)\\s*"
                    + "(?:com|net|org|io|tv|gg|xyz|ru|info|me|co|ly|be|link|app|dev|ai|uk|de|fr|us|biz|site|online|top"
                    + "|club|live|stream|shop|to|cc|su|cn|tk|ml|ga|cf|gq|pw|ws)\\b"
                    + "|\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b)");
    private static final Pattern TAG = Pattern.compile("<[^<>]{0,200}>");

    /** A checked text: {@code text} when {@code why} is null, else why not and what to tell the viewer. */
    record Checked(String text, Why why, String message) {
        boolean ok() {
            return why == null;
        }

        static Checked clean(String text) {
            return new Checked(text, null, "");
        }

        static Checked refused(Why why, String message) {
            return new Checked("", why, message);
        }
    }

    /** A suggestion: {@value #MIN} to {@value #MAX} characters after tidying, with words, no links. */
    static Checked suggestion(String raw) {
        if (raw == null || raw.isBlank()) {
            return Checked.refused(Why.TOO_SHORT, "Your suggestion needs at least " + MIN + " characters.");
        }
        if (raw.length() > MAX_RAW) {
            return Checked.refused(
                    Why.TOO_LONG, "Your suggestion is " + raw.length() + " characters long; the limit is " + MAX + ".");
        }
        Checked tidy = tidy(raw, "Your suggestion");
        if (!tidy.ok()) {
            return tidy;
        }
        String text = tidy.text();
        int length = text.codePointCount(0, text.length());
        if (length < MIN) {
            return Checked.refused(Why.TOO_SHORT, "Your suggestion needs at least " + MIN + " characters.");
        }
        if (length > MAX) {
            return Checked.refused(
                    Why.TOO_LONG, "Your suggestion is " + length + " characters long; the limit is " + MAX + ".");
        }
        if (LINK.matcher(text).find()) {
            return Checked.refused(Why.LINK, "Links are not allowed in suggestions.");
        }
        text = shortenRuns(text, SHOWN_RUN);
        long letters = TAG.matcher(text)
                .replaceAll(" ")
                .codePoints()
                .filter(Character::isLetter)
                .count();
        if (letters < 2) {
            return Checked.refused(Why.NO_WORDS, "A suggestion needs words: say what should be on screen.");
        }
        return Checked.clean(text);
    }

    /** A display name: optional (blank gives ""), at most {@value #MAX_NAME} characters, no links. */
    static Checked displayName(String raw) {
        if (raw == null || raw.isBlank()) {
            return Checked.clean("");
        }
        if (raw.length() > MAX_RAW) {
            return Checked.refused(Why.BAD_NAME, "Your display name can be at most " + MAX_NAME + " characters.");
        }
        Checked tidy = tidy(raw, "Your display name");
        if (!tidy.ok()) {
            return new Checked("", Why.BAD_NAME, tidy.message());
        }
        String name = tidy.text();
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            return Checked.refused(Why.BAD_NAME, "Your display name can be at most " + MAX_NAME + " characters.");
        }
        if (LINK.matcher(name).find()) {
            return Checked.refused(Why.BAD_NAME, "Links are not allowed in display names.");
        }
        return Checked.clean(shortenRuns(name, SHOWN_RUN));
    }

    /** Runs of one character longer than {@code longest} cut to that length ("wow!!!!!!!!!!" at 5 is "wow!!!!!"). */
    private static String shortenRuns(String text, int longest) {
        StringBuilder out = new StringBuilder(text.length());
        int previous = -1;
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            run = cp == previous ? run + 1 : 1;
            previous = cp;
            if (run <= longest) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /**
     * Refuses binary, control and direction characters; drops invisible ones; composes; makes
     * every run of spacing one space.
     */
    private static Checked tidy(String raw, String what) {
        int controls = 0;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            int size = Character.charCount(cp);
            if (cp == 0
                    || cp == 0xFFFD
                    || (cp & 0xFFFE) == 0xFFFE
                    || (cp >= 0xFDD0 && cp <= 0xFDEF)
                    || (size == 1 && Character.isSurrogate(raw.charAt(i)))) {
                return Checked.refused(Why.NOT_TEXT, what + " does not look like text.");
            }
            if (isDirection(cp)) {
                return Checked.refused(
                        Why.DIRECTION_CHARACTERS,
                        what + " contains invisible characters that change the text's direction.");
            }
            if (Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n' && cp != '\r') {
                controls++;
            }
            i += size;
        }
        if (controls > 0) {
            return controls * 5 > raw.length()
                    ? Checked.refused(Why.NOT_TEXT, what + " does not look like text.")
                    : Checked.refused(Why.CONTROL_CHARACTERS, what + " contains control characters.");
        }
        String composed = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(composed.length());
        boolean space = false;
        for (int i = 0; i < composed.length(); ) {
            int cp = composed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
                continue; // zero-width, soft hyphens, tag characters: invisible, and a way to hide words
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = !out.isEmpty();
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(cp);
        }
        return Checked.clean(out.toString());
    }

    /** Embedding, override and isolate controls, and the marks that flip neutral characters. */
    private static boolean isDirection(int cp) {
        return (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x200E
                || cp == 0x200F
                || cp == 0x061C;
    }

    /**
     * The form in which two suggestions count as the same: folded like the moderation lists fold
     * text (case, accents, look-alikes, invisible characters), signs dropped, words separated by
     * one space, stretched letters shortened.
     */
    static String normal(String text) {
        List<String> words = TextFolding.tokens(TextFolding.plain(text));
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(shortenRuns(w, NORMAL_RUN));
        }
        return out.toString();
    }

    /**
     * Whether two normal forms are nearly the same: equal, the same words in another order, or
     * within one edit in ten characters (a typo, a letter added to get past a duplicate check;
     * shorter than ten characters, one letter is another idea: "a cat", "a bat").
     */
    static boolean nearlySame(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (sortedWords(a).equals(sortedWords(b))) {
            return true;
        }
        int limit = Math.max(a.length(), b.length()) / 10;
        return limit > 0 && withinEdits(a, b, limit);
    }

    private static List<String> sortedWords(String normal) {
        return List.of(normal.split(" ")).stream().sorted().toList();
    }

    /** Levenshtein distance at most {@code limit}, in a band of that width: O(length × limit). */
    static boolean withinEdits(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return false;
        }
        int n = a.length();
        int m = b.length();
        int big = limit + 1;
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j <= limit ? j : big;
        }
        for (int i = 1; i <= n; i++) {
            java.util.Arrays.fill(current, big);
            int from = Math.max(1, i - limit);
            int to = Math.min(m, i + limit);
            current[0] = i <= limit ? i : big;
            int best = current[0];
            for (int j = from; j <= to; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                current[j] = Math.min(value, big);
                best = Math.min(best, current[j]);
            }
            if (best > limit) {
                return false;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[m] <= limit;
    }
}
