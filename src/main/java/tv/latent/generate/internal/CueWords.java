package tv.latent.generate.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of a prompt read as cues, for the embedded engines (the procedural renderer reads
 * light, places and subjects in them; the scorer reads moods).
 *
 * <p>A cue is a word or a phrase ("golden hour"); a cue ending in {@code *} matches any word it
 * begins ("rac*" matches racing and races). A cue that also appears in the negative prompt does
 * not count: "film grain" with negative "grain" gives no grain. Immutable and thread-safe.
 */
public final class CueWords {
    private final List<String> words;
    private final List<String> negative;

    private CueWords(List<String> words, List<String> negative) {
        this.words = words;
        this.negative = negative;
    }

    public static CueWords of(String prompt, String negativePrompt) {
        return new CueWords(split(prompt), split(negativePrompt));
    }

    public static CueWords of(String prompt) {
        return of(prompt, "");
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9']+")) {
            if (!w.isEmpty()) {
                out.add(w.replace("'", ""));
            }
        }
        return List.copyOf(out);
    }

    public List<String> words() {
        return words;
    }

    /** True when any of the cues is in the prompt and not in the negative prompt. */
    public boolean has(String... cues) {
        for (String cue : cues) {
            if (find(words, cue, 0) >= 0 && find(negative, cue, 0) < 0) {
                return true;
            }
        }
        return false;
    }

    private static int find(List<String> in, String cue, int from) {
        String[] parts = cue.split(" ");
        outer:
        for (int i = from; i + parts.length <= in.size(); i++) {
            for (int j = 0; j < parts.length; j++) {
                if (!matches(in.get(i + j), parts[j])) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether one word matches one word of a cue ({@code "rac*"} matches "racing"). */
    public static boolean matches(String word, String cuePart) {
        return cuePart.endsWith("*")
                ? word.startsWith(cuePart.substring(0, cuePart.length() - 1))
                : word.equals(cuePart);
    }

    /** A stable 64-bit hash of the prompt's words (FNV-1a), to mix with a seed. */
    public long hash() {
        long h = 0xcbf29ce484222325L;
        for (String w : words) {
            for (int i = 0; i < w.length(); i++) {
                h ^= w.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= ' ';
            h *= 0x100000001b3L;
        }
        return h;
    }
}
