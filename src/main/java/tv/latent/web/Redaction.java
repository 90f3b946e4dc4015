package tv.latent.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where a text the station made (a job's last error, why generation fails, a
 * health check's detail) is made fit for the public API: backend URLs, host addresses and
 * absolute paths are replaced, so the API does not map the operator's network or disks. The log
 * keeps the full text.
 *
 * <pre>{@code
 * Redaction.redact("render failed: POST http://10.0.0.7:7860/run: connection refused")
 * // "render failed: POST [url]: connection refused"
 * Redaction.redact("cannot read /srv/latenttv/data/work/ab12/render.mp4")
 * // "cannot read …/render.mp4"
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
final class Redaction {
    /**
     * Anything with a scheme (http(s), rtmp(s), file, ws...) up to a space, a quote or a bracket;
     * punctuation that ends a sentence after it stays.
     */
    private static final Pattern URL =
            Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]{1,15}://(?:[^\\s'\"<>()\\[\\]{}]*[^\\s'\"<>()\\[\\]{}.,:;!?])?");
    /** IPv4 (with a port or not), [IPv6] with a port, and localhost with a port. */
    private static final Pattern HOST = Pattern.compile(
            "\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b|\\[[0-9A-Fa-f:.]+](?::\\d{1,5})?|\\blocalhost:\\d{1,5}\\b");
    /**
     * An absolute path of two or more parts, not inside a word or a relative path ({@code a/b},
     * {@code 2/3} stay). The last part is kept: a file name says what failed without saying where.
     */
    private static final Pattern PATH =
            Pattern.compile("(?<![\\w.~/-])(?:/[^\\s/'\"<>:;,()\\[\\]{}]+)+/([^\\s/'\"<>:;,()\\[\\]{}]+)");

    private Redaction() {}

    /** {@code text} with URLs, host addresses and absolute paths replaced; null stays null. */
    static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = URL.matcher(text).replaceAll("[url]");
        out = HOST.matcher(out).replaceAll("[host]");
        Matcher path = PATH.matcher(out);
        return path.replaceAll(m -> Matcher.quoteReplacement("…/" + m.group(1)));
    }
}
