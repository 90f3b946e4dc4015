package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.twitch.FakeTwitchChat;
import tv.latent.config.LatentConfig;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * Twitch chat end to end, on a real station and a fake Twitch IRC server on loopback: {@code !shot}
 * and {@code !vote} from chat decide what is made next, the clip airs next with the viewer's
 * name, and the bot answers in chat; PING, RECONNECT and a dropped connection on the way change
 * nothing for viewers.
 */
@SlowTest
class TwitchChatToAirTest {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final String TOKEN = "twitchbottoken123";

    @TempDir
    Path dir;

    private static SuggestionView await(Audience audience, long number, SuggestionState state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SuggestionView view = audience.suggestion(Stations.CHANNEL, number).orElse(null);
            if (view != null && view.state() == state) {
                return view;
            }
            assertThat(System.nanoTime())
                    .as(
                            "suggestion #%d %s within %s (now %s)",
                            number, state, WAIT, view == null ? "absent" : view.status())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String nextSaid(FakeTwitchChat server, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = server.said.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line)
                    .as("the bot says something with '%s' within %s", containing, WAIT)
                    .isNotNull();
            if (line.contains(containing)) {
                return line;
            }
        }
    }

    @Test
    void shotAndVoteFromChatAreMadeAiredNextAndCreditedAndTheBotAnswers() throws Exception {
        try (FakeTwitchChat server = new FakeTwitchChat(TOKEN)) {
            UnaryOperator<String> env = Map.of("TWITCH_CHAT_TOKEN", TOKEN)::get;
            LatentConfig config = Stations.load(
                    Stations.config(
                            dir,
                            """
                                model: {width: 128, height: 72, frames: 24, fps: 8}
                                twitch: {channel: LatentNews, tokenEnv: TWITCH_CHAT_TOKEN, nick: latentbot, reply: true}
                            twitch: {host: 127.0.0.1, port: %d, tls: false}
                            audience: {suggestEverySeconds: 60}
                            """
                                    .formatted(server.port())),
                    env);
            Stations.fillLibrary(config, 12);
            try (Station station = Station.start(config, new Station.Options(0, true, env, Duration.ofMillis(500)))) {
                Audience audience = station.audience().orElseThrow();
                server.awaitJoined("latentnews", WAIT);
                assertThat(server.received).contains("PASS oauth:" + TOKEN, "NICK latentbot", "JOIN #latentnews");

                server.say("latentnews", "1001", "ada_l", "Ada", "!shot a purple whale singing opera");
                assertThat(nextSaid(server, "#1"))
                        .isEqualTo("#latentnews :@Ada thanks, your shot #1 is in the queue: vote for it with !vote 1");
                await(audience, 1, SuggestionState.MAKING);

                // while #1 is made, two more ideas queue, and chat votes #3 above #2
                server.say("latentnews", "1002", "bo", "Bo", "!shot a lighthouse made of candy");
                server.say("latentnews", "1003", "cy", "Cy", "!shot two otters holding hands at dawn");
                await(audience, 3, SuggestionState.QUEUED);
                // the votes come while #1 is still being made (the next pick follows them)
                server.say("latentnews", "1004", "dee", "Dee", "!vote 3");
                server.say("latentnews", "1005", "eve", "Eve", "!vote #3");
                server.say("latentnews", "1005", "eve", "Eve", "!vote 2");
                server.say("latentnews", "1005", "eve", "Eve", "!vote 3");
                // then the server pings and asks for a reconnect: the bot still answers afterwards
                server.ping();
                assertThat(server.awaitReceived("PONG", WAIT)).isEqualTo("PONG :tmi.twitch.tv");
                server.askToReconnect();
                server.awaitReceived("JOIN", WAIT);
                server.awaitJoined("latentnews", WAIT);

                SuggestionView first = await(audience, 1, SuggestionState.ON_AIR);
                assertThat(first.displayName()).isEqualTo("Ada");
                assertThat(nextSaid(server, "on air")).isEqualTo("#latentnews :@Ada your shot #1 is on air now!");
                String clipId = station.jobs().list(Stations.CHANNEL, 100).stream()
                        .filter(j -> j.priority() == ShotJob.AHEAD
                                && j.plan().prompt().contains("purple whale"))
                        .findFirst()
                        .orElseThrow()
                        .id();
                assertThat(audience.credit(Stations.CHANNEL, clipId)).hasValueSatisfying(c -> {
                    assertThat(c.displayName()).isEqualTo("Ada");
                    assertThat(c.source()).isEqualTo(Source.TWITCH);
                });

                assertThat(audience.suggestion(Stations.CHANNEL, 3)
                                .orElseThrow()
                                .votes())
                        .isEqualTo(2);
                assertThat(audience.suggestion(Stations.CHANNEL, 2)
                                .orElseThrow()
                                .votes())
                        .isEqualTo(1);
                SuggestionView third = await(audience, 3, SuggestionState.ON_AIR);
                assertThat(third.displayName()).isEqualTo("Cy");
                assertThat(audience.suggestion(Stations.CHANNEL, 2)
                                .orElseThrow()
                                .state())
                        .as("the most voted went first")
                        .isIn(SuggestionState.MAKING, SuggestionState.QUEUED, SuggestionState.READY);

                server.dropEveryone();
                server.awaitReceived("JOIN", WAIT);
                server.awaitJoined("latentnews", WAIT);
                server.say("latentnews", "1001", "ada_l", "Ada", "!shot another idea right away");
                server.say("latentnews", "1006", "fay", "Fay", "!shot a glass city under the sea");
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (audience.suggestion(Stations.CHANNEL, 4).isEmpty()) {
                    assertThat(System.nanoTime())
                            .as("chat is read after the drop")
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(audience.suggestion(Stations.CHANNEL, 4)
                                .orElseThrow()
                                .displayName())
                        .as("Ada's second !shot within a minute was refused like the web box's")
                        .isEqualTo("Fay");
                assertThat(audience.suggestion(Stations.CHANNEL, 5)).isEmpty();
            }
        }
    }
}
