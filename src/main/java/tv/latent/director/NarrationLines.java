package tv.latent.director;

import java.util.ArrayList;
import java.util.List;

/**
 * How narration lines are measured, shortened and spread, always at word boundaries: a line is
 * never cut inside a word. Shortening prefers the end of a sentence or clause; spreading a
 * sequence's line over its shots prefers to break after punctuation.
 *
 * <pre>{@code
 * NarrationLines.shorten("The fox waits. It has waited all winter for this.", 6) // "The fox waits."
 * NarrationLines.spread("Meet the red fox, patient and quiet, by the river.", 2)
 * // ["Meet the red fox, patient and quiet,", "by the river."]
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class NarrationLines {
    private NarrationLines() {}

    /** The words of a line (split at white space). */
    public static List<String> words(String line) {
        String s = line == null ? "" : line.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    /**
     * {@code line} in at most {@code maxWords} whole words: unchanged when it fits; else cut after
     * the last sentence or clause end that keeps at least half of the allowed words, or else after
     * the last whole word that fits (a dangling comma or dash dropped). Empty when {@code maxWords}
     * is below one.
     */
    public static String shorten(String line, int maxWords) {
        List<String> words = words(line);
        if (words.size() <= maxWords) {
            return String.join(" ", words);
        }
        if (maxWords < 1) {
            return "";
        }
        int cut = maxWords;
        for (int n = maxWords; n >= Math.max(1, (maxWords + 1) / 2); n--) {
            if (endsClause(words.get(n - 1))) {
                cut = n;
                break;
            }
        }
        List<String> kept = new ArrayList<>(words.subList(0, cut));
        String last = kept.removeLast().replaceAll("[,;:\\-\u2013\u2014]+$", "");
        if (!last.isEmpty()) {
            kept.add(last);
        }
        return String.join(" ", kept);
    }

    /**
     * Spreads {@code line} over {@code parts} shots, in order, at word boundaries: about the same
     * number of words each, each break moved by up to two words to fall after punctuation when it
     * can. A line of fewer words than parts leaves the last parts empty (those shots are silent).
     */
    public static List<String> spread(String line, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        List<String> words = words(line);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int p = 0; p < parts; p++) {
            int left = parts - p;
            int remaining = words.size() - start;
            if (remaining <= 0) {
                out.add("");
                continue;
            }
            int end;
            if (left == 1) {
                end = words.size();
            } else {
                int even = start + Math.max(1, Math.round((float) remaining / left));
                end = even;
                // after a sentence if one ends near the even break, else after a clause
                search:
                for (String ending : new String[] {".*[.!?\u2026]$", ".*[.,;:!?\u2026\u2013\u2014]$"}) {
                    for (int shift : new int[] {0, -1, 1, -2, 2}) {
                        int candidate = even + shift;
                        // every later part keeps at least one word when there are enough to go round
                        if (candidate > start
                                && candidate <= words.size() - Math.min(left - 1, words.size() - start - 1)
                                && words.get(candidate - 1).matches(ending)) {
                            end = candidate;
                            break search;
                        }
                    }
                }
                end = Math.min(end, words.size());
            }
            out.add(String.join(" ", words.subList(start, end)));
            start = end;
        }
        return List.copyOf(out);
    }

    private static boolean endsClause(String word) {
        return word.matches(".*[.,;:!?\u2026\u2013\u2014]$");
    }
}
