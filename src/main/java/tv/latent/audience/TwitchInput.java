package tv.latent.audience;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.backend.twitch.ChatMessage;
import tv.latent.backend.twitch.TwitchChat;
import tv.latent.config.StudioConfig;
import tv.latent.logging.Logging;
import tv.latent.time.Backoff;
import tv.latent.time.Threads;

/**
 * A channel's Twitch chat as a second input of its audience loop: {@code !shot <prompt>} suggests
 * and {@code !vote <n>} votes, through exactly the same limits, moderation and queue as the watch
 * page (the viewer is {@code twitch:<user-id>}, named by the {@code display-name} tag). With a
 * token and {@code reply: true}, it answers in chat when a viewer's shot is accepted and when it
 * goes on air, within the chat's send limit.
 *
 * <pre>{@code
 * try (TwitchInput chat = new TwitchInput("news", channelConfig.studio().twitch().orElseThrow(),
 *     config.studio().twitch(), audience, System::getenv)) {
 *   chat.start();
 * }
 * }</pre>
 *
 * <p>Chat is read on the client's thread and the commands are handled on one thread of their
 * own, from a queue of {@link #COMMANDS_QUEUED} (a flood beyond it is dropped, oldest first),
 * so a slow moderation endpoint never holds up reading (or answering PING). Other messages are
 * ignored. Thread-safe; {@link #close()} is idempotent.
 */
public final class TwitchInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TwitchInput.class);
    /** Commands waiting to be handled; beyond it the oldest is dropped. */
    static final int COMMANDS_QUEUED = 256;

    private static final Pattern SHOT =
            Pattern.compile("^!shot(?:\\s+(.*))?$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern VOTE = Pattern.compile("^!vote\\s+#?(\\d{1,9})\\b.*$", Pattern.CASE_INSENSITIVE);

    private final String channelId;
    private final StudioConfig.TwitchChat settings;
    private final Audience audience;
    private final TwitchChat chat;
    private final DropOldestQueue<ChatMessage> commands = new DropOldestQueue<>(COMMANDS_QUEUED);
    private final AudienceListener replies;
    private volatile boolean closed;
    private Thread worker;

    /**
     * @param environment where the bot's token is read (the variable {@code tokenEnv} names)
     * @throws IllegalArgumentException when a token is configured but its variable is unset
     */
    public TwitchInput(
            String channelId,
            StudioConfig.TwitchChat settings,
            StudioConfig.TwitchServer server,
            Audience audience,
            UnaryOperator<String> environment) {
        this(
                channelId,
                settings,
                server,
                audience,
                environment,
                Backoff.of(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(2)));
    }

    /** @param reconnects how long to wait before connecting again after a drop */
    public TwitchInput(
            String channelId,
            StudioConfig.TwitchChat settings,
            StudioConfig.TwitchServer server,
            Audience audience,
            UnaryOperator<String> environment,
            Backoff reconnects) {
        this.channelId = channelId;
        this.settings = settings;
        this.audience = audience;
        TwitchChat.Builder builder = TwitchChat.builder(server.host(), server.port())
                .tls(server.tls())
                .channel(settings.channel())
                .backoff(reconnects)
                .onMessage(this::heard)
                .onFailure(reason ->
                        LOG.error("channel {}: Twitch chat #{} stopped: {}", channelId, settings.channel(), reason));
        if (!settings.tokenEnv().isEmpty()) {
            String token = environment.apply(settings.tokenEnv());
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("channel " + channelId + ": environment variable "
                        + settings.tokenEnv() + " (the Twitch chat token) is not set");
            }
            builder.login(settings.nick(), token);
        }
        this.chat = builder.build();
        this.replies = new AudienceListener() {
            @Override
            public void suggestionChanged(SuggestionView suggestion, String viewerId) {
                if (suggestion.channelId().equals(channelId)
                        && suggestion.source() == Source.TWITCH
                        && suggestion.state() == SuggestionState.ON_AIR) {
                    reply(suggestion.displayName(), "your shot #" + suggestion.number() + " is on air now!");
                }
            }
        };
    }

    /** Joins the chat and starts handling commands. Idempotent. */
    public synchronized void start() {
        if (worker != null || closed) {
            return;
        }
        worker = Thread.ofVirtual().name("twitch-commands-" + channelId).start(this::work);
        if (settings.reply()) {
            audience.addListener(replies);
        }
        chat.start();
    }

    /** The chat client's state (joined, waiting to reconnect, failed...). */
    public TwitchChat.State state() {
        return chat.state();
    }

    /** Why the chat stopped for good (a refused login), if it did. */
    public Optional<String> failure() {
        return chat.failure();
    }

    /** Commands dropped because chat sent them faster than they could be handled. */
    public long dropped() {
        return commands.dropped();
    }

    private void heard(ChatMessage message) {
        String text = message.text().strip();
        if (!text.startsWith("!") || message.login().equalsIgnoreCase(chat.nick())) {
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("!shot") && !lower.startsWith("!vote")) {
            return;
        }
        commands.add(message);
    }

    private void work() {
        MDC.put(Logging.CHANNEL, channelId);
        while (!closed) {
            ChatMessage message;
            try {
                message = commands.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                handle(message);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("channel {}: a Twitch chat command failed: {}", channelId, e.toString());
            }
        }
    }

    private void handle(ChatMessage message) throws SQLException {
        String id = message.userId().isBlank() ? "login:" + message.login() : message.userId();
        Viewer viewer = new Viewer("twitch:" + id, "", message.displayName(), Source.TWITCH);
        String text = message.text().strip();
        Matcher shot = SHOT.matcher(text);
        if (shot.matches()) {
            Reply reply = audience.suggest(channelId, viewer, shot.group(1) == null ? "" : shot.group(1));
            if (reply instanceof Reply.Accepted accepted) {
                reply(
                        message.displayName(),
                        "thanks, your shot #" + accepted.suggestion().number() + " is "
                                + (accepted.suggestion().state() == SuggestionState.PENDING
                                        ? "waiting for a moderator."
                                        : "in the queue: vote for it with !vote "
                                                + accepted.suggestion().number()));
            }
            return;
        }
        Matcher vote = VOTE.matcher(text);
        if (vote.matches()) {
            audience.vote(channelId, viewer, Long.parseLong(vote.group(1)));
        }
    }

    /** "@name message", when replies are on; the name is the viewer's own display name, cleaned by the chat client. */
    private void reply(String displayName, String message) {
        if (settings.reply()) {
            chat.send((displayName.isBlank() ? "" : "@" + displayName + " ") + message);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        audience.removeListener(replies);
        chat.close();
        Threads.stop(java.time.Duration.ofSeconds(5), worker);
    }
}
