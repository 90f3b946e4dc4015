package tv.latent.director;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A viewer's suggestion as words fit for a video prompt: markup and the characters that make
 * markup go (a prompt is plain words, whatever the viewer typed), spacing is tidied. And the
 * words that carry the viewer's subject, to check that an adapted prompt kept them. Stateless.
 */
final class SuggestionWords {
    private SuggestionWords() {}

    private static final Pattern TAG = Pattern.compile("<[^<>]{0,200}>");
    private static final Pattern MARKUP_CHARACTERS = Pattern.compile("[<>{}\\[\\]`\\\\|^~*_#=\"]");
    private static final Set<String> STOP = Set.of(
            "the", "and", "with", "for", "from", "into", "onto", "that", "this", "then", "there", "their", "them",
            "they", "what", "when", "where", "while", "who", "will", "would", "could", "should", "please", "some",
            "show", "make", "want", "like", "just", "very", "more", "than", "have", "has", "are", "was", "were", "its",
            "our", "your", "you", "can", "not", "but", "all", "any", "out", "over", "under", "about");

    /**
     * The suggestion as prompt words: tags and markup characters replaced by spaces, runs of spaces
     * closed, end punctuation trimmed. Empty when nothing but markup was there.
     */
    static String forPrompt(String suggestion) {
        String s = TAG.matcher(suggestion).replaceAll(" ");
        s = MARKUP_CHARACTERS.matcher(s).replaceAll(" ");
        s = s.replaceAll("\\s+", " ").strip();
        s = s.replaceAll("^[\\p{Punct}\\s]+", "").replaceAll("[,;:.!?\\s]+$", "");
        return PromptScrubber.tidy(s);
    }

    /** The words that carry the suggestion's subject: three letters or more, not filler, lower case, in order. */
    static Set<String> contentWords(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3 && !STOP.contains(w)) {
                words.add(w);
            }
        }
        return words;
    }

    /** The share (0..1) of {@code suggestion}'s content words found in {@code prompt}; 1 when it has none. */
    static double kept(String suggestion, String prompt) {
        Set<String> wanted = contentWords(suggestion);
        if (wanted.isEmpty()) {
            return 1;
        }
        Set<String> got = contentWords(prompt);
        long found = wanted.stream()
                .filter(w -> got.contains(w) || got.stream().anyMatch(g -> sameStem(w, g)))
                .count();
        return (double) found / wanted.size();
    }

    /** "foxes" and "fox", "running" and "run": close enough for an LLM's rewording. */
    private static boolean sameStem(String a, String b) {
        int common = 0;
        while (common < a.length() && common < b.length() && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        return common >= 4 && common >= Math.min(a.length(), b.length()) - 3;
    }

    /** A title from the suggestion: its first clause, capitalised, at most 60 characters. */
    static String title(String words) {
        String first = words.split("[,.;:!?]", 2)[0].strip();
        if (first.isEmpty()) {
            first = words;
        }
        if (first.length() > 60) {
            int cut = first.lastIndexOf(' ', 57);
            first = first.substring(0, cut > 20 ? cut : 57).strip() + "...";
        }
        return first.isEmpty() ? first : Character.toUpperCase(first.charAt(0)) + first.substring(1);
    }
}
