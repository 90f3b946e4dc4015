package tv.latent.backend.twitch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One IRC line as Twitch sends it: IRCv3 tags ({@code @key=value;...}, values unescaped), an
 * optional prefix ({@code :nick!user@host}), the command, and its parameters (the last one may
 * hold spaces when it starts with {@code :}).
 *
 * <pre>{@code
 * IrcLine line = IrcLine.parse("@display-name=Foo;user-id=123 :foo!foo@foo.tmi.twitch.tv PRIVMSG #chan :!shot a fox");
 * line.command();        // "PRIVMSG"
 * line.param(1);         // "!shot a fox"
 * line.tag("user-id");   // Optional["123"]
 * }</pre>
 *
 * <p>Immutable.
 */
public record IrcLine(Map<String, String> tags, String prefix, String command, List<String> params) {
    public IrcLine {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        prefix = prefix == null ? "" : prefix;
        params = List.copyOf(params);
    }

    /**
     * Parses one line (without its CR LF).
     *
     * @throws IllegalArgumentException when there is no command
     */
    public static IrcLine parse(String line) {
        int at = 0;
        int n = line.length();
        Map<String, String> tags = new LinkedHashMap<>();
        if (at < n && line.charAt(at) == '@') {
            int end = line.indexOf(' ', at);
            if (end < 0) {
                throw new IllegalArgumentException("a line of tags only");
            }
            for (String tag : line.substring(at + 1, end).split(";")) {
                if (tag.isEmpty()) {
                    continue;
                }
                int eq = tag.indexOf('=');
                tags.put(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? "" : unescape(tag.substring(eq + 1)));
            }
            at = skipSpaces(line, end);
        }
        String prefix = "";
        if (at < n && line.charAt(at) == ':') {
            int end = line.indexOf(' ', at);
            if (end < 0) {
                throw new IllegalArgumentException("a line with a prefix only");
            }
            prefix = line.substring(at + 1, end);
            at = skipSpaces(line, end);
        }
        int end = line.indexOf(' ', at);
        String command = end < 0 ? line.substring(at) : line.substring(at, end);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a line without a command");
        }
        List<String> params = new ArrayList<>();
        at = end < 0 ? n : skipSpaces(line, end);
        while (at < n) {
            if (line.charAt(at) == ':') {
                params.add(line.substring(at + 1));
                break;
            }
            int next = line.indexOf(' ', at);
            params.add(next < 0 ? line.substring(at) : line.substring(at, next));
            at = next < 0 ? n : skipSpaces(line, next);
        }
        return new IrcLine(tags, prefix, command, params);
    }

    private static int skipSpaces(String line, int at) {
        while (at < line.length() && line.charAt(at) == ' ') {
            at++;
        }
        return at;
    }

    /** IRCv3 tag value escapes: {@code \:} ;, {@code \s} space, {@code \\} \, {@code \r}, {@code \n}. */
    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                break; // a trailing backslash is dropped
            }
            char e = value.charAt(i);
            out.append(
                    switch (e) {
                        case ':' -> ';';
                        case 's' -> ' ';
                        case 'r' -> '\r';
                        case 'n' -> '\n';
                        default -> e;
                    });
        }
        return out.toString();
    }

    /** The {@code i}-th parameter, or "" when there is none. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : "";
    }

    /** A tag's value; empty when the line has no such tag. */
    public Optional<String> tag(String name) {
        return Optional.ofNullable(tags.get(name));
    }

    /** The nick of the prefix ({@code foo} of {@code foo!foo@foo.tmi.twitch.tv}), or "". */
    public String nick() {
        int bang = prefix.indexOf('!');
        return bang < 0 ? "" : prefix.substring(0, bang);
    }
}
