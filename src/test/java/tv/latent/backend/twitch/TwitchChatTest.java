package tv.latent.backend.twitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.time.Backoff;

class TwitchChatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "abcdef0123456789";

    private final FakeTwitchChat server;
    private final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<TwitchChat> clients = new ArrayList<>();

    TwitchChatTest() throws Exception {
        server = new FakeTwitchChat(TOKEN);
    }

    private TwitchChat.Builder aClient() {
        return TwitchChat.builder("127.0.0.1", server.port())
                .tls(false)
                .channel("#LatentNews")
                .backoff(Backoff.of(Duration.ofMillis(50), Duration.ofMillis(200)))
                .onMessage(messages::add)
                .onFailure(failures::add);
    }

    private TwitchChat started(TwitchChat.Builder builder) {
        TwitchChat chat = builder.build();
        clients.add(chat);
        chat.start();
        return chat;
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TwitchChat::close);
        server.close();
    }

    private ChatMessage next() throws InterruptedException {
        ChatMessage m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(m).as("a chat message within %s", WAIT).isNotNull();
        return m;
    }

    @Test
    void anAnonymousClientAsksForTagsJoinsAndReadsMessagesWithTheirTags() throws Exception {
        TwitchChat chat = started(aClient());
        assertThat(server.awaitReceived("CAP REQ", WAIT)).isEqualTo("CAP REQ :twitch.tv/tags twitch.tv/commands");
        assertThat(server.awaitReceived("NICK", WAIT)).matches("NICK justinfan\\d+");
        assertThat(server.awaitReceived("JOIN", WAIT)).isEqualTo("JOIN #latentnews");
        assertThat(server.received).noneMatch(line -> line.startsWith("PASS"));
        server.awaitJoined("latentnews", WAIT);

        server.say("latentnews", "4242", "ada_l", "Ada; the \\first", "!shot a red fox juggling lanterns");
        ChatMessage m = next();
        assertThat(m.channel()).isEqualTo("latentnews");
        assertThat(m.userId()).isEqualTo("4242");
        assertThat(m.login()).isEqualTo("ada_l");
        assertThat(m.displayName()).isEqualTo("Ada; the \\first");
        assertThat(m.text()).isEqualTo("!shot a red fox juggling lanterns");
        assertThat(m.id()).startsWith("msg-");
        assertThat(chat.state()).isEqualTo(TwitchChat.State.JOINED);
        assertThat(chat.send("hello")).as("an anonymous login cannot send").isFalse();
    }

    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        started(aClient());
        server.awaitJoined("latentnews", WAIT);
        server.ping();
        assertThat(server.awaitReceived("PONG", WAIT)).isEqualTo("PONG :tmi.twitch.tv");
    }

    @Test
    void aReconnectRequestAndADroppedConnectionAreFollowedByANewConnection() throws Exception {
        TwitchChat chat = started(aClient());
        server.awaitJoined("latentnews", WAIT);
        server.askToReconnect();
        server.awaitReceived("JOIN", WAIT);
        server.awaitReceived("JOIN", WAIT);
        server.awaitJoined("latentnews", WAIT);
        server.say("latentnews", "1", "bo", "Bo", "after the reconnect");
        assertThat(next().text()).isEqualTo("after the reconnect");

        server.dropEveryone();
        server.awaitReceived("JOIN", WAIT);
        server.awaitJoined("latentnews", WAIT);
        server.say("latentnews", "1", "bo", "Bo", "after the drop");
        assertThat(next().text()).isEqualTo("after the drop");
        assertThat(chat.connections()).isEqualTo(3);
        assertThat(server.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void aRefusedLoginStopsTheClientWithTheReasonAndNoRetry() throws Exception {
        TwitchChat chat = started(aClient().login("latentbot", "oauth:wrong-token"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (chat.state() != TwitchChat.State.FAILED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(chat.state()).isEqualTo(TwitchChat.State.FAILED);
        assertThat(chat.failure())
                .hasValueSatisfying(f ->
                        assertThat(f).contains("Login authentication failed").doesNotContain("wrong-token"));
        assertThat(failures).hasSize(1);
        chat.close(); // joins the reader: nothing can connect after this
        assertThat(server.connectionsAccepted()).isEqualTo(1);
        assertThat(chat.connections()).isEqualTo(1);
    }

    @Test
    void aBotLogsInWithItsTokenAndSendsOneCleanLinePerMessage() throws Exception {
        TwitchChat chat = started(aClient().login("LatentBot", TOKEN));
        assertThat(server.awaitReceived("PASS", WAIT)).isEqualTo("PASS oauth:" + TOKEN);
        assertThat(server.awaitReceived("NICK", WAIT)).isEqualTo("NICK latentbot");
        server.awaitJoined("latentnews", WAIT);
        assertThat(chat.send("hi\r\nPRIVMSG #other :injected\u0000")).isTrue();
        assertThat(server.said.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("#latentnews :hi  PRIVMSG #other :injected");
        assertThat(chat.send(" \r\n ")).isFalse();
        assertThat(chat.send("x".repeat(600))).isTrue();
        assertThat(server.said.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasSize("#latentnews :".length() + TwitchChat.MAX_MESSAGE_CHARS);
    }

    @Test
    void sendingKeepsToTheLimitAndABoundedQueue() throws Exception {
        Duration window = Duration.ofSeconds(2);
        TwitchChat chat =
                started(aClient().login("latentbot", TOKEN).sendLimit(3, window).outgoing(4));
        server.awaitJoined("latentnews", WAIT);
        int queued = 0;
        for (int i = 0; i < 20; i++) {
            queued += chat.send("message " + i) ? 1 : 0;
        }
        assertThat(queued)
                .as("the queue holds at most 4 besides the one being sent")
                .isBetween(4, 8);
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertThat(server.said.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            arrivals.add(System.nanoTime());
        }
        assertThat(Duration.ofNanos(arrivals.get(3) - arrivals.get(0)))
                .as("the fourth message waits for the window of the first")
                .isGreaterThanOrEqualTo(window.minusMillis(200));
    }

    @Test
    void overlongAndMalformedLinesAreSkipped() throws Exception {
        started(aClient());
        server.awaitJoined("latentnews", WAIT);
        server.sendAll("@a=" + "x".repeat(TwitchChat.MAX_LINE_BYTES + 10) + " :x!x@x PRIVMSG #latentnews :too long");
        server.sendAll(":prefix-only");
        server.sendAll("");
        server.say("latentnews", "7", "cy", "Cy", "still reading");
        assertThat(next().text()).isEqualTo("still reading");
    }
}
