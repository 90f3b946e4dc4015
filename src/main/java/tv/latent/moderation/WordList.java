package tv.latent.moderation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured words (and phrases) and patterns, ready to match. A word matches a whole word of
 * any reading of the text ({@link TextFolding}), so "class" does not match "ass"; a phrase
 * matches its words in a row. A pattern matches anywhere in the text as typed or as folded.
 *
 * <p>Immutable and thread-safe.
 */
final class WordList {
    private final Set<String> words = new HashSet<>();
    private final List<List<String>> phrases = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    WordList(List<String> entries, List<String> regexes) {
        for (String entry : entries) {
            List<String> tokens = TextFolding.tokens(TextFolding.plain(entry));
            if (tokens.size() == 1) {
                words.add(tokens.getFirst());
            } else if (tokens.size() > 1) {
                phrases.add(List.copyOf(tokens));
            }
        }
        for (String regex : regexes) {
            patterns.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }
    }

    boolean isEmpty() {
        return words.isEmpty() && phrases.isEmpty() && patterns.isEmpty();
    }

    /** The first match in {@code text}, as a verdict naming the entry; empty when none matches. */
    Optional<Verdict> match(String text) {
        if (!words.isEmpty() || !phrases.isEmpty()) {
            for (List<String> reading : TextFolding.readings(text)) {
                for (int i = 0; i < reading.size(); i++) {
                    if (words.contains(reading.get(i))) {
                        return Optional.of(Verdict.flagged("words", "listed word '" + reading.get(i) + "'"));
                    }
                    for (List<String> phrase : phrases) {
                        if (startsAt(reading, i, phrase)) {
                            return Optional.of(
                                    Verdict.flagged("words", "listed phrase '" + String.join(" ", phrase) + "'"));
                        }
                    }
                }
            }
        }
        if (!words.isEmpty()) {
            for (String run : TextFolding.spacedOut(text)) {
                for (int from = 0; from < run.length(); from++) {
                    for (int to = from + 2; to <= run.length(); to++) {
                        if (words.contains(run.substring(from, to))) {
                            return Optional.of(Verdict.flagged(
                                    "words", "listed word '" + run.substring(from, to) + "' spelled out"));
                        }
                    }
                }
            }
        }
        if (!patterns.isEmpty()) {
            String folded = String.join(" ", TextFolding.tokens(TextFolding.plain(text)));
            for (int i = 0; i < patterns.size(); i++) {
                Matcher typed = patterns.get(i).matcher(text);
                Matcher plain = patterns.get(i).matcher(folded);
                if (typed.find() || plain.find()) {
                    return Optional.of(
                            Verdict.flagged("patterns", "pattern " + (i + 1) + " /" + patterns.get(i) + "/"));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean startsAt(List<String> reading, int at, List<String> phrase) {
        if (at + phrase.size() > reading.size()) {
            return false;
        }
        for (int j = 0; j < phrase.size(); j++) {
            if (!reading.get(at + j).equals(phrase.get(j))) {
                return false;
            }
        }
        return true;
    }
}
