package tv.latent.director;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps words out of prompts that text-to-video models paint into the frame as lettering
 * (brand, format and device names: "IMAX", "Canon EOS", "drone"), and compares prompts for
 * repeats. Stateless.
 */
final class PromptScrubber {
    private PromptScrubber() {}

    private record Rewrite(Pattern pattern, String replacement) {}

    private static Rewrite rewrite(String regex, String replacement) {
        return new Rewrite(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), replacement);
    }

    private static final String BRANDS =
            "canon|nikon|sony|arri|panavision|gopro|go pro|dji|hasselblad|leica|fujifilm|blackmagic|kodak|"
                    + "ilford|cinestill|polaroid|red komodo|red v-raptor|imax|dolby|nasa|unreal engine|octane render|artstation";

    private static final List<Rewrite> REWRITES = List.of(
            // "shot on a Canon EOS R5" and its kin: the whole credit goes, model numbers too.
            rewrite(
                    "\\b(?:shot|filmed|captured|taken|recorded)\\s+(?:on|with)\\s+(?:an?\\s+)?(?:" + BRANDS
                            + ")\\b[\\w\\- ]*",
                    ""),
            rewrite("\\btrending on\\s+\\w+", ""),
            rewrite("\\bdrones?\\s+(shot|footage|view|camera|flyover|photography)s?\\b", "aerial $1"),
            rewrite("\\b(?:from|by|with) an? drones?\\b", "from the air"),
            rewrite("\\bdrones?\\b", "aerial"),
            rewrite("\\bpixar\\b", "3D animated feature"),
            rewrite("\\bstudio ghibli\\b|\\bghibli\\b", "hand-painted anime"),
            rewrite("\\bdisney\\b", "classic animated feature"),
            rewrite(
                    "\\b(?:" + BRANDS + ")\\b(?:\\s+(?:eos|alexa|mini|lf|hero\\d*|mavic|portra|ektachrome|velvia|tri-x|"
                            + "[a-z]{0,3}\\d[\\w\\-]*))*",
                    ""),
            rewrite("\\b(?:eos|alexa|portra|ektachrome|velvia)\\b(?:\\s+[a-z]{0,3}\\d[\\w\\-]*)?", ""),
            rewrite("\\b(?:4k|8k|16k|uhd|hdr|dslr|hd)\\b", ""),
            // Failure-prone camera rotation (the original AI WebTV's Grand Canyon artefacts).
            rewrite("\\b(?:camera\\s+)?(?:rotating|spinning|orbiting|360[- ]degree)(?:\\s+camera)?\\b", ""));

    /** Rewrites or drops text-bait words and tidies the commas left behind. */
    static String scrub(String text) {
        String s = text == null ? "" : text;
        for (Rewrite r : REWRITES) {
            s = r.pattern().matcher(s).replaceAll(r.replacement());
        }
        return tidy(s);
    }

    static String tidy(String s) {
        String t = s.replaceAll("\\s+", " ")
                .replaceAll("\\s+([,.;:])", "$1")
                .replaceAll("([,;:])(?:\\s*[,;:])+", "$1")
                .strip();
        t = t.replaceAll("^[,;:.\\s]+", "").replaceAll("[,;:\\s]+$", "");
        return t;
    }

    /** The form in which two prompts count as the same: case, spacing and end punctuation ignored. */
    static String normal(String prompt) {
        return prompt.toLowerCase(Locale.ROOT)
                .replaceAll("[\\s]+", " ")
                .replaceAll("[\\s.,;:!]+$", "")
                .strip();
    }
}
