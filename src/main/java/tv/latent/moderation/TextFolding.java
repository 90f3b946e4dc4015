package tv.latent.moderation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Text as the word lists see it, whatever tricks it plays: accents, ligatures, full-width and
 * look-alike letters (Cyrillic, Greek), invisible characters, digits and signs for letters
 * ("b4d"), s p a c e d  o u t letters and stretched letters ("baaad"). Each trick gives one more
 * reading of the text; a word matches when it appears in any of them. Stateless.
 */
public final class TextFolding {
    private TextFolding() {}

    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            Map.entry('а', 'a'),
            Map.entry('в', 'b'),
            Map.entry('е', 'e'),
            Map.entry('ё', 'e'),
            Map.entry('к', 'k'),
            Map.entry('м', 'm'),
            Map.entry('н', 'h'),
            Map.entry('о', 'o'),
            Map.entry('р', 'p'),
            Map.entry('с', 'c'),
            Map.entry('т', 't'),
            Map.entry('у', 'y'),
            Map.entry('х', 'x'),
            Map.entry('і', 'i'),
            Map.entry('ї', 'i'),
            Map.entry('ј', 'j'),
            Map.entry('ѕ', 's'),
            Map.entry('ԁ', 'd'),
            Map.entry('ɡ', 'g'),
            Map.entry('α', 'a'),
            Map.entry('β', 'b'),
            Map.entry('ε', 'e'),
            Map.entry('η', 'n'),
            Map.entry('ι', 'i'),
            Map.entry('κ', 'k'),
            Map.entry('ν', 'v'),
            Map.entry('ο', 'o'),
            Map.entry('ρ', 'p'),
            Map.entry('τ', 't'),
            Map.entry('υ', 'u'),
            Map.entry('χ', 'x'),
            Map.entry('ß', 's'));

    private static final Map<Character, Character> LEET = Map.ofEntries(
            Map.entry('0', 'o'),
            Map.entry('1', 'i'),
            Map.entry('3', 'e'),
            Map.entry('4', 'a'),
            Map.entry('5', 's'),
            Map.entry('7', 't'),
            Map.entry('8', 'b'),
            Map.entry('9', 'g'),
            Map.entry('@', 'a'),
            Map.entry('$', 's'),
            Map.entry('!', 'i'),
            Map.entry('|', 'l'),
            Map.entry('€', 'e'));

    /** Accents, compatibility forms, invisible characters and look-alikes folded; lower case. */
    public static String plain(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK
                    || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                    || type == Character.FORMAT) {
                return; // accents go; zero-width and direction characters join what they split
            }
            int lower = Character.toLowerCase(cp);
            if (lower < 0x10000) {
                Character alike = LOOK_ALIKES.get((char) lower);
                if (alike != null) {
                    out.append(alike.charValue());
                    return;
                }
            }
            out.appendCodePoint(lower);
        });
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** The words of a text: runs of letters and digits. */
    public static List<String> tokens(String folded) {
        List<String> out = new ArrayList<>();
        for (String t : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Runs of three or more single letters ("a b a d w o r d"), each joined into one string, in
     * every reading: a listed word hidden in one is found as a part of it.
     */
    static Set<String> spacedOut(String text) {
        Set<String> runs = new LinkedHashSet<>();
        for (List<String> reading : readings(text)) {
            StringBuilder run = new StringBuilder();
            int letters = 0;
            for (String w : reading) {
                if (w.codePointCount(0, w.length()) == 1) {
                    run.append(w);
                    letters++;
                    continue;
                }
                if (letters >= 3) {
                    runs.add(run.toString());
                }
                run.setLength(0);
                letters = 0;
            }
            if (letters >= 3) {
                runs.add(run.toString());
            }
        }
        return runs;
    }

    /**
     * Every reading of a text as a list of words: plain; with digits and signs read as letters;
     * each also with runs of single letters joined ("b a d" as "bad") and with stretched letters
     * shortened ("baaad" as "bad" and as "baad").
     */
    static Set<List<String>> readings(String text) {
        String plain = plain(text);
        StringBuilder leet = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            leet.append(LEET.getOrDefault(c, c));
        }
        Set<List<String>> out = new LinkedHashSet<>();
        for (String form : List.of(plain, leet.toString())) {
            List<String> words = tokens(form);
            for (List<String> w : List.of(words, joinSingles(words))) {
                out.add(w);
                out.add(w.stream().map(t -> squeeze(t, 1)).toList());
                out.add(w.stream().map(t -> squeeze(t, 2)).toList());
            }
        }
        return out;
    }

    /** "b", "a", "d" become "bad"; other words stay. */
    private static List<String> joinSingles(List<String> words) {
        List<String> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (String w : words) {
            if (w.codePointCount(0, w.length()) == 1) {
                run.append(w);
                continue;
            }
            if (!run.isEmpty()) {
                out.add(run.toString());
                run.setLength(0);
            }
            out.add(w);
        }
        if (!run.isEmpty()) {
            out.add(run.toString());
        }
        return out;
    }

    /** A word with a run of three or more of the same character has it cut to {@code keep}; others stay. */
    private static String squeeze(String word, int keep) {
        if (!word.matches(".*(.)\\1\\1.*")) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        int run = 0;
        int previous = -1;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            run = cp == previous ? run + 1 : 1;
            previous = cp;
            if (run <= keep) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
