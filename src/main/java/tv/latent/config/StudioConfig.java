package tv.latent.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What stands between the audience (and the director) and the screen: moderation, the limits on
 * viewers' suggestions and votes, and the Twitch chat server (the {@code moderation},
 * {@code audience} and {@code twitch} sections). Each channel's own part is a {@link Channel}.
 *
 * @param moderation word and pattern lists, and an optional moderation endpoint
 * @param audience the limits on suggestions and votes, the same for the web and Twitch chat
 * @param twitch where Twitch chat is read (a loopback fake in tests)
 */
public record StudioConfig(Moderation moderation, Audience audience, TwitchServer twitch) {
    public static final StudioConfig DEFAULT = new StudioConfig(Moderation.NONE, Audience.DEFAULT, TwitchServer.TWITCH);

    public StudioConfig {
        Objects.requireNonNull(moderation, "moderation");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(twitch, "twitch");
    }

    /**
     * What the moderation gate checks every viewer suggestion and every director shot against.
     *
     * @param words flagged when one appears as a whole word (case, accents, look-alike letters and
     *     spacing tricks ignored); from the YAML list and {@code wordsFile}
     * @param patterns regular expressions (Java syntax, matched case-insensitively anywhere)
     * @param endpoint an OpenAI-compatible {@code /moderations} endpoint, if any
     * @param directorTries how many times the director is asked for a shot that passes before
     *     the lookahead gives up for this round
     */
    public record Moderation(
            List<String> words, List<String> patterns, Optional<ModerationEndpoint> endpoint, int directorTries) {
        public static final Moderation NONE = new Moderation(List.of(), List.of(), Optional.empty(), 3);

        public Moderation {
            words = List.copyOf(words);
            patterns = List.copyOf(patterns);
            Objects.requireNonNull(endpoint, "endpoint");
        }

        /** True when nothing is configured: every text passes. */
        public boolean none() {
            return words.isEmpty() && patterns.isEmpty() && endpoint.isEmpty();
        }
    }

    /**
     * An OpenAI-compatible moderation endpoint: {@code POST {url}/moderations}.
     *
     * @param url the API base, e.g. {@code https://api.openai.com/v1}
     * @param apiKeyEnv the environment variable holding the key; empty for a server that takes none
     */
    public record ModerationEndpoint(String url, String model, String apiKeyEnv, Duration timeout) {}

    /**
     * Limits on what viewers send, per channel; the same for the watch page and Twitch chat.
     *
     * @param suggestEvery one suggestion per viewer this often
     * @param perIp at most this many suggestions from one IP address per {@code ipWindow}
     * @param perChannelPerMinute suggestions a channel takes per minute from everyone together;
     *     beyond it (a flood from many) the rest are refused until the minute has passed
     * @param queueCap suggestions waiting (for review or in the queue) on one channel
     * @param openPerViewer one viewer's suggestions waiting on one channel
     * @param votesPerIpPerMinute votes from one IP address per minute
     * @param duplicateWindow a suggestion the same as (or nearly) one made this recently is refused
     * @param queuedFor a suggestion nobody picked within this long expires
     * @param keptFor finished suggestions and their votes are deleted this long after they ended
     */
    public record Audience(
            Duration suggestEvery,
            int perIp,
            Duration ipWindow,
            int perChannelPerMinute,
            int queueCap,
            int openPerViewer,
            int votesPerIpPerMinute,
            Duration duplicateWindow,
            Duration queuedFor,
            Duration keptFor) {
        public static final Audience DEFAULT = new Audience(
                Duration.ofMinutes(2),
                5,
                Duration.ofMinutes(10),
                30,
                50,
                3,
                30,
                Duration.ofHours(1),
                Duration.ofHours(24),
                Duration.ofDays(30));
    }

    /** The IRC server Twitch chat is read from: {@code irc.chat.twitch.tv:6697} over TLS. */
    public record TwitchServer(String host, int port, boolean tls) {
        public static final TwitchServer TWITCH = new TwitchServer("irc.chat.twitch.tv", 6697, true);
    }

    /** Who decides what viewers' suggestions and the channel's clips may do. */
    public enum Policy {
        /** Suggestions that pass the filters go straight to the queue; clips air as soon as made. */
        AUTO,
        /** Suggestions wait for an operator's approval before they join the queue. */
        REVIEW_PROMPTS,
        /** Every clip of the channel waits for an operator's approval before it may air. */
        REVIEW_CLIPS;

        /** The YAML spelling: {@code auto}, {@code review-prompts}, {@code review-clips}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Policy of(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * A channel's part: its policy, whether it takes suggestions, and its Twitch chat.
     *
     * @param suggestions false: the channel takes no suggestions or votes (from anywhere)
     */
    public record Channel(Policy policy, boolean suggestions, Optional<TwitchChat> twitch) {
        public static final Channel DEFAULT = new Channel(Policy.AUTO, true, Optional.empty());

        public Channel {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(twitch, "twitch");
        }
    }

    /**
     * A channel's Twitch chat: {@code !shot} and {@code !vote} are read from it.
     *
     * @param channel the Twitch channel's login, lower case, without {@code #}
     * @param tokenEnv the environment variable holding the bot's OAuth token; empty: read-only
     *     anonymous login
     * @param nick the bot account's login (with a token)
     * @param reply answer in chat when a shot is accepted and when it airs (needs a token)
     */
    public record TwitchChat(String channel, String tokenEnv, String nick, boolean reply) {}
}
