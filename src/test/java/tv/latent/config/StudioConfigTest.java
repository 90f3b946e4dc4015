package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code moderation}, {@code audience} and {@code twitch} sections, and each channel's policy and chat. */
class StudioConfigTest {
    @TempDir
    Path dir;

    private LatentConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), env::get);
    }

    private void assertProblems(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void withoutSectionsNothingIsModeratedAndEveryChannelTakesSuggestionsAutomatically() {
        LatentConfig config = parse("channels:\n  - {id: news, theme: the news}\n", Map.of());
        assertThat(config.studio()).isEqualTo(StudioConfig.DEFAULT);
        assertThat(config.studio().moderation().none()).isTrue();
        assertThat(config.channels().getFirst().studio()).isEqualTo(StudioConfig.Channel.DEFAULT);
    }

    @Test
    void everyKeyIsReadWithWordsFromTheFileMergedAndTheChannelsOwnPolicyAndChat() throws Exception {
        Files.writeString(dir.resolve("words.txt"), "# a comment\n\nBadWord\n  another phrase  \n");
        LatentConfig config = parse(
                """
                moderation:
                  words: [Forbidden]
                  wordsFile: words.txt
                  patterns: ['b[a4]d\\s*guy']
                  endpoint: {url: 'http://127.0.0.1:9/v1', model: omni-moderation-latest, apiKeyEnv: MOD_KEY, timeoutSeconds: 4}
                  directorTries: 5
                audience: {suggestEverySeconds: 60, perIp: 4, ipWindowMinutes: 5, perChannelPerMinute: 20, queueCap: 10,
                           openPerViewer: 2, votesPerIpPerMinute: 15, duplicateWindowMinutes: 30, queuedHours: 6, keepDays: 7}
                twitch: {host: 127.0.0.1, port: 6667, tls: false}
                channels:
                  - id: news
                    theme: the news
                    policy: review-prompts
                    twitch: {channel: '#LatentNews', tokenEnv: CHAT_TOKEN, nick: LatentBot, reply: true}
                  - {id: quiet, theme: rain, policy: review-clips, suggestions: false}
                """,
                Map.of("MOD_KEY", "sk-1", "CHAT_TOKEN", "abc"));
        StudioConfig studio = config.studio();
        assertThat(studio.moderation().words()).containsExactly("forbidden", "badword", "another phrase");
        assertThat(studio.moderation().patterns()).containsExactly("b[a4]d\\s*guy");
        assertThat(studio.moderation().endpoint())
                .contains(new StudioConfig.ModerationEndpoint(
                        "http://127.0.0.1:9/v1", "omni-moderation-latest", "MOD_KEY", Duration.ofSeconds(4)));
        assertThat(studio.moderation().directorTries()).isEqualTo(5);
        assertThat(studio.audience())
                .isEqualTo(new StudioConfig.Audience(
                        Duration.ofSeconds(60),
                        4,
                        Duration.ofMinutes(5),
                        20,
                        10,
                        2,
                        15,
                        Duration.ofMinutes(30),
                        Duration.ofHours(6),
                        Duration.ofDays(7)));
        assertThat(studio.twitch()).isEqualTo(new StudioConfig.TwitchServer("127.0.0.1", 6667, false));
        assertThat(config.channel("news").orElseThrow().studio())
                .isEqualTo(new StudioConfig.Channel(
                        StudioConfig.Policy.REVIEW_PROMPTS,
                        true,
                        Optional.of(new StudioConfig.TwitchChat("latentnews", "CHAT_TOKEN", "latentbot", true))));
        assertThat(config.channel("quiet").orElseThrow().studio())
                .isEqualTo(new StudioConfig.Channel(StudioConfig.Policy.REVIEW_CLIPS, false, Optional.empty()));
    }

    @Test
    void badSettingsAreAllReportedWithTheirKeys() {
        assertProblems(
                """
                moderation:
                  patterns: ['ok', '(unclosed']
                  wordsFile: missing.txt
                  endpoint: {url: 'ftp://x', apiKeyEnv: NOT_SET}
                audience: {queueCap: 0}
                channels:
                  - id: news
                    theme: the news
                    policy: sometimes
                    twitch: {channel: 'no spaces allowed', reply: true}
                  - id: bot
                    theme: t
                    twitch: {channel: ok, tokenEnv: NOT_SET_EITHER}
                """,
                "moderation.patterns[1]: not a valid regular expression",
                "moderation.wordsFile: cannot read",
                "moderation.endpoint.url: must be an http:// or https:// URL",
                "moderation.endpoint.apiKeyEnv: environment variable NOT_SET is not set",
                "audience.queueCap",
                "channels[0].policy",
                "auto, review-prompts, review-clips",
                "channels[0].twitch.channel: must be a Twitch login",
                "channels[0].twitch.reply: needs tokenEnv",
                "channels[1].twitch.tokenEnv: environment variable NOT_SET_EITHER is not set",
                "channels[1].twitch.nick: missing");
    }

    @Test
    void theKeyOfASecretNeverAppearsInTheConfiguration() {
        LatentConfig config = parse(
                """
                moderation: {endpoint: {url: 'https://api.openai.com/v1', apiKeyEnv: MOD_KEY}}
                channels: [{id: news, theme: the news}]
                """,
                Map.of("MOD_KEY", "sk-very-secret"));
        assertThat(config.toString()).doesNotContain("sk-very-secret");
        assertThat(List.of(config.studio().moderation().endpoint().orElseThrow().apiKeyEnv()))
                .containsExactly("MOD_KEY");
    }
}
