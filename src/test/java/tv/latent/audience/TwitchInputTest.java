package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.twitch.FakeTwitchChat;
import tv.latent.backend.twitch.TwitchChat;
import tv.latent.config.StudioConfig;
import tv.latent.moderation.Moderator;
import tv.latent.time.Backoff;

/** Twitch chat commands into the same gate and queue as the watch page. */
class TwitchInputTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "tokentokentoken";

    @TempDir
    Path dir;

    private static TwitchInput input(TestAudience t, FakeTwitchChat server, String tokenEnv, boolean reply) {
        return new TwitchInput(
                TestAudience.CHANNEL,
                new StudioConfig.TwitchChat("latentnews", tokenEnv, tokenEnv.isEmpty() ? "" : "latentbot", reply),
                new StudioConfig.TwitchServer("127.0.0.1", server.port(), false),
                t.audience,
                Map.of("CHAT_TOKEN", TOKEN, "WRONG_TOKEN", "nope")::get,
                Backoff.of(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    private static void awaitStored(TestAudience t, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.stored().size() < count) {
            assertThat(System.nanoTime())
                    .as("%d suggestions stored within %s", count, WAIT)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void shotAndVoteCommandsGoThroughTheSameGateAsTheWebBox() throws Exception {
        try (FakeTwitchChat server = new FakeTwitchChat(TOKEN);
                TestAudience t = new TestAudience(dir, "suggestEverySeconds: 120", "auto", Moderator.none());
                TwitchInput chat = input(t, server, "CHAT_TOKEN", true)) {
            chat.start();
            server.awaitJoined("latentnews", WAIT);
            server.say("latentnews", "1001", "ada_l", "Ada", "!shot a purple whale singing opera");
            server.say("latentnews", "1001", "ada_l", "Ada", "!shot a second idea too soon");
            server.say("latentnews", "1002", "bo", "Bo", "just chatting, no command");
            server.say("latentnews", "1003", "cy", "Cy", "!SHOT   <b>a red fox</b> & friends");
            server.say("latentnews", "1002", "bo", "Bo", "!vote #1");
            server.say("latentnews", "1002", "bo", "Bo", "!vote 1");
            server.say("latentnews", "1004", "dee", "Dee", "!vote 2 because foxes");
            server.say("latentnews", "1001", "ada_l", "Ada", "!shot");
            awaitStored(t, 2);
            String first = server.said.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first)
                    .isEqualTo("#latentnews :@Ada thanks, your shot #1 is in the queue: vote for it with !vote 1");

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (t.audience.suggestion(TestAudience.CHANNEL, 2).orElseThrow().votes() < 1) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            List<Suggestion> stored = t.stored();
            assertThat(stored).extracting(Suggestion::viewerId).containsExactlyInAnyOrder("twitch:1001", "twitch:1003");
            assertThat(stored).extracting(Suggestion::source).containsOnly(Source.TWITCH);
            Suggestion ada =
                    stored.stream().filter(s -> s.number() == 1).findFirst().orElseThrow();
            assertThat(ada.displayName()).isEqualTo("Ada");
            assertThat(ada.text()).isEqualTo("a purple whale singing opera");
            assertThat(stored.stream()
                            .filter(s -> s.number() == 2)
                            .findFirst()
                            .orElseThrow()
                            .text())
                    .isEqualTo("<b>a red fox</b> & friends");
            while (t.audience.suggestion(TestAudience.CHANNEL, 1).orElseThrow().votes() < 1) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(t.audience
                            .suggestion(TestAudience.CHANNEL, 1)
                            .orElseThrow()
                            .votes())
                    .as("Bo voted twice for #1: counted once")
                    .isEqualTo(1);
        }
    }

    @Test
    void aRefusedBotLoginStopsTheChatAndLeavesTheChannelAlone() throws Exception {
        try (FakeTwitchChat server = new FakeTwitchChat(TOKEN);
                TestAudience t = new TestAudience(dir, "", "auto", Moderator.none())) {
            TwitchInput chat = input(t, server, "WRONG_TOKEN", true);
            chat.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (chat.state() != TwitchChat.State.FAILED) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(chat.failure()).hasValueSatisfying(f -> assertThat(f).contains("Login authentication failed"));
            chat.close(); // joins the reader: nothing can connect after this
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(t.suggest("web-viewer", "192.0.2.1", "", "a red fox at dawn"))
                    .isInstanceOf(Reply.Accepted.class);
        }
    }

    @Test
    void aChatFloodIsBoundedAndTheChannelsRateHolds() throws Exception {
        try (FakeTwitchChat server = new FakeTwitchChat(TOKEN);
                TestAudience t = new TestAudience(
                        dir,
                        "perChannelPerMinute: 5, suggestEverySeconds: 0, queueCap: 100",
                        "auto",
                        Moderator.none());
                TwitchInput chat = input(t, server, "", false)) {
            chat.start();
            server.awaitJoined("latentnews", WAIT);
            for (int i = 0; i < 400; i++) {
                server.say(
                        "latentnews",
                        String.valueOf(5000 + i),
                        "bot" + i,
                        "Bot" + i,
                        "!shot " + TestAudience.distinct(i));
            }
            server.say("latentnews", "9999", "last", "Last", "!vote 1");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (t.audience
                            .suggestion(TestAudience.CHANNEL, 1)
                            .map(SuggestionView::votes)
                            .orElse(0)
                    < 1) {
                assertThat(System.nanoTime()).as("the last line was handled").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(t.stored()).hasSize(5);
            assertThat(chat.state()).isEqualTo(TwitchChat.State.JOINED);
            server.ping();
            assertThat(server.awaitReceived("PONG", WAIT)).isEqualTo("PONG :tmi.twitch.tv");
        }
    }
}
