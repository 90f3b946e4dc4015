package tv.latent.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A clip's captions as WebVTT: each narration line one timed cue, written beside the master
 * ({@value #FILE}) and read back by playout, which cuts them into subtitle segments.
 *
 * <p>Captions are text only: a cue's text is one line with {@code &}, {@code <} and {@code >}
 * written as character references, so nothing in a line is read as a WebVTT tag, a timing line
 * ({@code -->}) or a cue break, and a page that shows it shows the characters.
 *
 * <pre>{@code
 * Files.writeString(dir.resolve(Captions.FILE), Captions.webVtt(List.of(new Cue(0.15, 2.4, "Meet the red fox."))));
 * List<Cue> cues = Captions.read(dir.resolve(Captions.FILE));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Captions {
    /** The captions file in a clip's directory. */
    public static final String FILE = "captions.vtt";

    /** The largest captions file read (a clip has a line or two). */
    static final int MAX_BYTES = 64 * 1024;

    private static final Pattern TIMING =
            Pattern.compile("(\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3})");

    private Captions() {}

    /**
     * One caption: from {@code start} to {@code end} seconds of the clip (or of a segment), its
     * text as plain characters (one line).
     */
    public record Cue(double start, double end, String text) {
        public Cue {
            text = text == null
                    ? ""
                    : text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ").strip();
            if (!(start >= 0) || !(end > start)) {
                throw new IllegalArgumentException("a cue runs forwards from 0 or later, got " + start + " to " + end);
            }
        }
    }

    /** The cues as a WebVTT file, with {@code header} lines (such as an X-TIMESTAMP-MAP) after the signature. */
    public static String webVtt(List<Cue> cues, String... header) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (String line : header) {
            out.append(line).append('\n');
        }
        out.append('\n');
        for (Cue cue : cues) {
            out.append(time(cue.start()))
                    .append(" --> ")
                    .append(time(cue.end()))
                    .append('\n')
                    .append(escape(cue.text()))
                    .append("\n\n");
        }
        return out.toString();
    }

    /**
     * The cues of a captions file written by {@link #webVtt}; empty when there is no file.
     *
     * @throws IOException when the file is larger than {@value #MAX_BYTES} bytes or not WebVTT
     */
    public static List<Cue> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + MAX_BYTES + " bytes: not a clip's captions");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The cues of WebVTT text written by {@link #webVtt}. */
    public static List<Cue> parse(String text) throws IOException {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().startsWith("WEBVTT")) {
            throw new IOException("not WebVTT (no WEBVTT signature)");
        }
        List<Cue> cues = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            Matcher m = TIMING.matcher(lines.get(i).strip());
            if (!m.matches()) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++, i++) {
                body.append(body.isEmpty() ? "" : " ").append(lines.get(j).strip());
            }
            try {
                cues.add(new Cue(seconds(m, 1), seconds(m, 5), unescape(body.toString())));
            } catch (IllegalArgumentException e) {
                throw new IOException("a cue runs backwards: " + lines.get(i), e);
            }
        }
        return List.copyOf(cues);
    }

    /** {@code HH:MM:SS.mmm}, hours as many digits as they need. */
    public static String time(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(
                Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    /** The text as WebVTT cue text that is only text. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static double seconds(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * 3600
                + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2))
                + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }
}
