package tv.latent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the {@code moderation}, {@code audience} and {@code twitch} sections, and each channel's
 * {@code policy}, {@code suggestions} and {@code twitch} keys, for {@link ConfigLoader}. Problems
 * go to the shared list with their key paths, like every other section's. Stateless.
 */
final class StudioSections {
    private StudioSections() {}

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TWITCH_LOGIN = Pattern.compile("[a-z0-9_]{1,25}");
    /** A words file longer than this is refused: it is read into memory and checked against every text. */
    static final int MAX_WORDS = 100_000;

    static StudioConfig read(ConfigNode top, Path base, Function<String, String> env) {
        ConfigNode moderationNode = top.object("moderation");
        StudioConfig.Moderation moderation = moderation(moderationNode, base, env);
        moderationNode.finish();

        ConfigNode audienceNode = top.object("audience");
        StudioConfig.Audience d = StudioConfig.Audience.DEFAULT;
        StudioConfig.Audience audience = new StudioConfig.Audience(
                Duration.ofSeconds(audienceNode.intIn(
                        "suggestEverySeconds", 0, 86_400, (int) d.suggestEvery().toSeconds())),
                audienceNode.intIn("perIp", 1, 10_000, d.perIp()),
                Duration.ofMinutes(audienceNode.intIn(
                        "ipWindowMinutes", 1, 1440, (int) d.ipWindow().toMinutes())),
                audienceNode.intIn("perChannelPerMinute", 1, 100_000, d.perChannelPerMinute()),
                audienceNode.intIn("queueCap", 1, 10_000, d.queueCap()),
                audienceNode.intIn("openPerViewer", 1, 1000, d.openPerViewer()),
                audienceNode.intIn("votesPerIpPerMinute", 1, 100_000, d.votesPerIpPerMinute()),
                Duration.ofMinutes(audienceNode.intIn("duplicateWindowMinutes", 0, 10_080, (int)
                        d.duplicateWindow().toMinutes())),
                Duration.ofHours(audienceNode.intIn(
                        "queuedHours", 1, 8760, (int) d.queuedFor().toHours())),
                Duration.ofDays(audienceNode.intIn(
                        "keepDays", 1, 36_500, (int) d.keptFor().toDays())));
        audienceNode.finish();

        ConfigNode twitchNode = top.object("twitch");
        StudioConfig.TwitchServer t = StudioConfig.TwitchServer.TWITCH;
        StudioConfig.TwitchServer twitch = new StudioConfig.TwitchServer(
                twitchNode.string("host", t.host()),
                twitchNode.intIn("port", 1, 65535, t.port()),
                twitchNode.bool("tls", t.tls()));
        twitchNode.finish();
        return new StudioConfig(moderation, audience, twitch);
    }

    private static StudioConfig.Moderation moderation(ConfigNode node, Path base, Function<String, String> env) {
        List<String> words = new ArrayList<>(node.strings("words", List.of()));
        if (node.has("wordsFile")) {
            words.addAll(wordsFile(node, base, node.string("wordsFile")));
        }
        if (words.size() > MAX_WORDS) {
            node.problem("words", "at most " + MAX_WORDS + " words, got " + words.size());
        }
        List<String> patterns = node.strings("patterns", List.of());
        for (int i = 0; i < patterns.size(); i++) {
            try {
                Pattern.compile(patterns.get(i), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                node.problem(
                        "patterns[" + i + "]",
                        "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        Optional<StudioConfig.ModerationEndpoint> endpoint = Optional.empty();
        if (node.has("endpoint")) {
            ConfigNode e = node.object("endpoint");
            String url = e.string("url");
            if (!url.isEmpty() && !isHttpUrl(url)) {
                e.problem(
                        "url",
                        "must be an http:// or https:// URL such as https://api.openai.com/v1, got '" + url + "'");
            }
            String keyEnv = e.string("apiKeyEnv", "");
            secret(e, "apiKeyEnv", keyEnv, env);
            endpoint = Optional.of(new StudioConfig.ModerationEndpoint(
                    url,
                    e.string("model", "omni-moderation-latest"),
                    keyEnv,
                    Duration.ofSeconds(e.intIn("timeoutSeconds", 1, 600, 10))));
            e.finish();
        }
        int tries = node.intIn("directorTries", 1, 20, StudioConfig.Moderation.NONE.directorTries());
        return new StudioConfig.Moderation(
                words.stream()
                        .map(w -> w.strip().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toList(),
                patterns,
                endpoint,
                tries);
    }

    /** One word or phrase a line; blank lines and lines starting with {@code #} are skipped. */
    private static List<String> wordsFile(ConfigNode node, Path base, String name) {
        Path file = base.resolve(name).normalize();
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .limit(MAX_WORDS + 1L)
                    .collect(Collectors.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            node.problem(
                    "wordsFile",
                    "cannot read " + file + " (paths are relative to the config file): "
                            + e.getClass().getSimpleName());
            return List.of();
        }
    }

    /** A channel's {@code policy}, {@code suggestions} and {@code twitch} keys. */
    static StudioConfig.Channel channel(ConfigNode node, Function<String, String> env) {
        Set<String> policies = new java.util.LinkedHashSet<>();
        for (StudioConfig.Policy p : StudioConfig.Policy.values()) {
            policies.add(p.key());
        }
        StudioConfig.Policy policy = StudioConfig.Policy.of(node.oneOf("policy", policies, "auto"));
        boolean suggestions = node.bool("suggestions", true);
        Optional<StudioConfig.TwitchChat> twitch = Optional.empty();
        if (node.has("twitch")) {
            ConfigNode t = node.object("twitch");
            String channel = t.string("channel").toLowerCase(Locale.ROOT);
            if (channel.startsWith("#")) {
                channel = channel.substring(1);
            }
            if (!channel.isEmpty() && !TWITCH_LOGIN.matcher(channel).matches()) {
                t.problem("channel", "must be a Twitch login (letters, digits, _; at most 25), got '" + channel + "'");
            }
            String tokenEnv = t.string("tokenEnv", "");
            secret(t, "tokenEnv", tokenEnv, env);
            String nick = t.string("nick", "").toLowerCase(Locale.ROOT);
            if (!tokenEnv.isEmpty() && nick.isEmpty()) {
                t.problem("nick", "missing: the login of the account whose token tokenEnv holds");
            } else if (!nick.isEmpty() && !TWITCH_LOGIN.matcher(nick).matches()) {
                t.problem("nick", "must be a Twitch login (letters, digits, _; at most 25), got '" + nick + "'");
            }
            boolean reply = t.bool("reply", false);
            if (reply && tokenEnv.isEmpty()) {
                t.problem("reply", "needs tokenEnv: an anonymous (read-only) chat login cannot send messages");
            }
            t.finish();
            twitch = Optional.of(new StudioConfig.TwitchChat(channel, tokenEnv, nick, reply));
        }
        return new StudioConfig.Channel(policy, suggestions, twitch);
    }

    /** A key naming an environment variable that holds a secret: a valid name, and set. */
    private static void secret(ConfigNode node, String key, String name, Function<String, String> env) {
        if (name.isEmpty()) {
            return;
        }
        if (!ENV_NAME.matcher(name).matches()) {
            node.problem(key, "must name an environment variable (letters, digits, _), got '" + name + "'");
        } else if (env.apply(name) == null || env.apply(name).isBlank()) {
            node.problem(key, "environment variable " + name + " is not set (secrets come only from the environment)");
        }
    }

    private static boolean isHttpUrl(String url) {
        return (url.startsWith("http://") || url.startsWith("https://")) && url.length() > 8 && !url.contains(" ");
    }
}
