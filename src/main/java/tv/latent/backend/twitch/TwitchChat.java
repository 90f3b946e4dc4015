package tv.latent.backend.twitch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.time.Backoff;
import tv.latent.time.Threads;

/**
 * Reads one Twitch channel's chat over IRC, and sends to it when logged in with a token.
 *
 * <pre>{@code
 * try (TwitchChat chat = TwitchChat.builder("irc.chat.twitch.tv", 6697)
 *     .tls(true).channel("latentnews")
 *     .login("latentbot", System.getenv("TWITCH_CHAT_TOKEN"))   // or leave out: anonymous, read-only
 *     .onMessage(message -> ...)                                 // on the chat's reader thread: be quick
 *     .onFailure(reason -> ...)                                  // a refused login: the chat stopped
 *     .build()) {
 *   chat.start();
 *   chat.send("hello chat");                                     // false when it cannot be queued
 * }
 * }</pre>
 *
 * <p>One virtual thread reads (and answers PING with PONG); one sends, at most {@link
 * Builder#sendLimit} messages per window (Twitch: 20 in 30 s), from a queue of at most {@link
 * Builder#outgoing} (a message that does not fit is refused, not queued). When the server says
 * {@code RECONNECT}, or the connection drops or goes silent (no answer to our own PING), the
 * client connects again after a backoff; the backoff starts over once a connection has lasted
 * {@link #STABLE}. {@code NOTICE * :Login authentication failed} (or an improperly formatted
 * login) stops the client for good, with the server's reason: no retry storm on a bad token.
 * Lines longer than {@link #MAX_LINE_BYTES} are skipped. The token is sent once per connection
 * and never logged.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and bounded.
 */
public final class TwitchChat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TwitchChat.class);
    /** Longest line read; Twitch's own lines, tags included, stay far below. */
    public static final int MAX_LINE_BYTES = 16 * 1024;
    /** A connection that lasted this long resets the reconnect backoff. */
    public static final Duration STABLE = Duration.ofSeconds(30);
    /** Longest message sent; Twitch allows 500 characters. */
    public static final int MAX_MESSAGE_CHARS = 500;

    private static final Pattern LOGIN = Pattern.compile("[a-z0-9_]{1,25}");

    /** Where the client is. */
    public enum State {
        NEW,
        CONNECTING,
        /** Connected and in the channel. */
        JOINED,
        /** Waiting to connect again after a drop or a RECONNECT. */
        WAITING,
        /** Stopped for good: the login was refused ({@link #failure()} says why). */
        FAILED,
        CLOSED
    }

    private final String host;
    private final int port;
    private final boolean tls;
    private final String channel;
    private final String nick;
    private final String token;
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration silence;
    private final int sendLimit;
    private final Duration sendWindow;
    private final Consumer<ChatMessage> onMessage;
    private final Consumer<String> onFailure;
    private final BlockingQueue<String> outgoing;
    private final Deque<Long> sent = new ArrayDeque<>();
    private final Object writing = new Object();
    private final Object lifecycle = new Object();

    private volatile State state = State.NEW;
    private volatile String failure;
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile boolean closed;
    private Thread reader;
    private Thread sender;
    private int connections;

    private TwitchChat(Builder b) {
        host = b.host;
        port = b.port;
        tls = b.tls;
        channel = Objects.requireNonNull(b.channel, "channel");
        nick = b.nick == null ? "justinfan" + ThreadLocalRandom.current().nextInt(10_000, 99_999_999) : b.nick;
        token = b.token;
        backoff = b.backoff;
        connectTimeout = b.connectTimeout;
        silence = b.silence;
        sendLimit = b.sendLimit;
        sendWindow = b.sendWindow;
        onMessage = b.onMessage;
        onFailure = b.onFailure;
        outgoing = new ArrayBlockingQueue<>(b.outgoing);
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** Connects and keeps connected until closed or the login is refused. Idempotent. */
    public void start() {
        synchronized (lifecycle) {
            if (reader != null || closed) {
                return;
            }
            state = State.CONNECTING;
            reader = Thread.ofVirtual().name("twitch-chat-" + channel).start(this::readLoop);
            if (token != null) {
                sender = Thread.ofVirtual().name("twitch-send-" + channel).start(this::sendLoop);
            }
        }
    }

    public State state() {
        return state;
    }

    /** Why the client stopped for good (the server's notice), while {@link State#FAILED}. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The nick the client logs in with ({@code justinfan<digits>} when anonymous). */
    public String nick() {
        return nick;
    }

    /** Connections opened so far (1 plus the reconnections). */
    public synchronized int connections() {
        return connections;
    }

    /**
     * Queues a message to the channel. Line breaks and control characters become spaces; longer
     * than {@value #MAX_MESSAGE_CHARS} characters is cut.
     *
     * @return false when it was not queued: anonymous (read-only) login, closed or failed, the
     *     queue full, or nothing left to send
     */
    public boolean send(String text) {
        if (token == null || closed || state == State.FAILED) {
            return false;
        }
        String clean = clean(text);
        if (clean.isEmpty()) {
            return false;
        }
        boolean queued = outgoing.offer(clean);
        if (!queued) {
            LOG.debug("twitch chat #{}: the outgoing queue is full; a message was dropped", channel);
        }
        return queued;
    }

    /** One line of plain text: no CR, LF, NUL or other control character can reach the wire. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String s = b.toString().strip();
        if (s.length() > MAX_MESSAGE_CHARS) {
            int cut = MAX_MESSAGE_CHARS;
            if (Character.isLowSurrogate(s.charAt(cut))) {
                cut--;
            }
            s = s.substring(0, cut);
        }
        return s;
    }

    // ---- reading -----------------------------------------------------------------------------

    private void readLoop() {
        int failures = 0;
        while (!closed) {
            long opened = System.nanoTime();
            String ended;
            try {
                ended = session();
            } catch (IOException e) {
                ended = "connection failed: " + e.getMessage();
            }
            closeSocket();
            if (closed || state == State.FAILED) {
                return;
            }
            failures = System.nanoTime() - opened >= STABLE.toNanos() ? 1 : failures + 1;
            Duration wait = backoff.delay(failures);
            state = State.WAITING;
            LOG.warn("twitch chat #{}: {}; connecting again in {} ms", channel, ended, wait.toMillis());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection, from connect to its end; returns why it ended (a refused login sets FAILED). */
    private String session() throws IOException {
        state = State.CONNECTING;
        Socket s = connect();
        synchronized (this) {
            connections++;
        }
        socket = s;
        if (closed) {
            return "closed";
        }
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, silence.toMillis()));
        out = s.getOutputStream();
        write("CAP REQ :twitch.tv/tags twitch.tv/commands");
        if (token != null) {
            write("PASS oauth:" + token);
        }
        write("NICK " + nick);
        write("JOIN #" + channel);
        InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 8192);
        boolean pinged = false;
        while (!closed) {
            String line;
            try {
                line = readLine(in);
            } catch (SocketTimeoutException e) {
                if (pinged) {
                    return "no answer from the server for "
                            + silence.multipliedBy(2).toSeconds() + " s";
                }
                write("PING :latenttv");
                pinged = true;
                continue;
            }
            if (line == null) {
                return "the server closed the connection";
            }
            pinged = false;
            if (line.isEmpty()) {
                continue;
            }
            IrcLine irc;
            try {
                irc = IrcLine.parse(line);
            } catch (IllegalArgumentException e) {
                LOG.debug("twitch chat #{}: skipped a line that is not IRC: {}", channel, e.getMessage());
                continue;
            }
            String end = handle(irc);
            if (end != null) {
                return end;
            }
        }
        return "closed";
    }

    private Socket connect() throws IOException {
        Socket s;
        if (tls) {
            SSLSocket ssl = (SSLSocket) SSLSocketFactory.getDefault().createSocket();
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            ssl.setSSLParameters(params);
            s = ssl;
        } else {
            s = new Socket();
        }
        try {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            if (s instanceof SSLSocket ssl) {
                ssl.setSoTimeout((int) connectTimeout.toMillis());
                ssl.startHandshake();
            }
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** What one line means; non-null ends the session with that reason. */
    private String handle(IrcLine line) throws IOException {
        switch (line.command()) {
            case "PING" -> write("PONG :" + line.param(0));
            case "RECONNECT" -> {
                return "the server asked to reconnect";
            }
            case "NOTICE" -> {
                String text = line.param(1);
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("login authentication failed")
                        || lower.contains("improperly formatted auth")
                        || lower.contains("invalid nick")) {
                    failure = "Twitch refused the login of " + nick + ": " + text;
                    state = State.FAILED;
                    LOG.error("twitch chat #{}: {}; not trying again (check the token and nick)", channel, failure);
                    call(onFailure, failure, "failure");
                    return failure;
                }
                LOG.info("twitch chat #{}: notice: {}", channel, text);
            }
            case "JOIN" -> {
                if (line.nick().equalsIgnoreCase(nick)) {
                    state = State.JOINED;
                    LOG.info("twitch chat: joined #{} as {}", channel, nick);
                }
            }
            case "PRIVMSG" -> {
                String target = line.param(0);
                if (target.equalsIgnoreCase("#" + channel)) {
                    deliver(line);
                }
            }
            default -> {
                // 001..376 welcome, CAP ACK, ROOMSTATE, USERSTATE, CLEARCHAT...: nothing to do
            }
        }
        return null;
    }

    private void deliver(IrcLine line) {
        String login = line.nick();
        ChatMessage message = new ChatMessage(
                channel,
                line.tag("id").orElse(""),
                line.tag("user-id").orElse(""),
                login,
                line.tag("display-name").filter(n -> !n.isBlank()).orElse(login),
                line.param(1),
                line.tags());
        call(onMessage, message, "message");
    }

    /** Hands {@code value} to one of the caller's handlers; a handler that throws is logged, never fatal to the reader. */
    private <T> void call(Consumer<T> handler, T value, String which) {
        try {
            handler.accept(value);
        } catch (RuntimeException e) {
            LOG.warn("twitch chat #{}: the {} handler failed: {}", channel, which, e.toString());
        }
    }

    /**
     * One line up to LF (a CR before it dropped), UTF-8; null at the end of the stream. A line
     * longer than {@link #MAX_LINE_BYTES} is read to its end and returned empty (skipped).
     */
    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 && !tooLong ? null : decode(line, tooLong);
            }
            if (b == '\n') {
                return decode(line, tooLong);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                tooLong = true;
                continue;
            }
            line.write(b);
        }
    }

    private String decode(ByteArrayOutputStream line, boolean tooLong) {
        if (tooLong) {
            LOG.debug("twitch chat #{}: skipped a line longer than {} bytes", channel, MAX_LINE_BYTES);
            return "";
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private void write(String line) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new IOException("not connected");
        }
        synchronized (writing) {
            o.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    private void sendLoop() {
        while (!closed) {
            String text;
            try {
                text = outgoing.take();
                waitForRoom();
                while (state != State.JOINED && !closed) {
                    if (state == State.FAILED) {
                        return;
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                write("PRIVMSG #" + channel + " :" + text);
                sent.addLast(System.nanoTime());
            } catch (IOException e) {
                LOG.debug("twitch chat #{}: a message was lost with the connection: {}", channel, e.getMessage());
            }
        }
    }

    /** Waits until fewer than {@code sendLimit} messages went out in the last {@code sendWindow}. */
    private void waitForRoom() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            while (!sent.isEmpty() && now - sent.peekFirst() >= sendWindow.toNanos()) {
                sent.pollFirst();
            }
            if (sent.size() < sendLimit) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(sent.peekFirst() + sendWindow.toNanos() - now);
        }
    }

    // ---- closing -----------------------------------------------------------------------------

    private void closeSocket() {
        Socket s = socket;
        socket = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.trace("closing the chat socket failed", e);
            }
        }
    }

    /** Leaves the chat: the connection closes, the threads stop (within seconds). Idempotent. */
    @Override
    public void close() {
        Thread r;
        Thread w;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            r = reader;
            w = sender;
        }
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
        closeSocket();
        Threads.stop(Duration.ofSeconds(5), r, w);
    }

    /** Configures a {@link TwitchChat}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private boolean tls = true;
        private String channel;
        private String nick;
        private String token;
        private Backoff backoff = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(2));
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration silence = Duration.ofMinutes(5).plusSeconds(30);
        private int sendLimit = 20;
        private Duration sendWindow = Duration.ofSeconds(30);
        private int outgoing = 20;
        private Consumer<ChatMessage> onMessage = m -> {};
        private Consumer<String> onFailure = reason -> {};

        private Builder(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.host = host;
            this.port = port;
        }

        /** TLS (6697, the default) or plain IRC (6667, or a loopback fake). */
        public Builder tls(boolean value) {
            tls = value;
            return this;
        }

        /** The channel to join: its login, with or without {@code #}. */
        public Builder channel(String value) {
            String login = value.strip().toLowerCase(Locale.ROOT);
            login = login.startsWith("#") ? login.substring(1) : login;
            if (!LOGIN.matcher(login).matches()) {
                throw new IllegalArgumentException("not a Twitch channel login: '" + value + "'");
            }
            channel = login;
            return this;
        }

        /**
         * Logs in as a bot that may send: its login and OAuth token ({@code oauth:} in front or
         * not). Without it the client logs in anonymously and only reads.
         */
        public Builder login(String login, String oauthToken) {
            String n = login.strip().toLowerCase(Locale.ROOT);
            if (!LOGIN.matcher(n).matches()) {
                throw new IllegalArgumentException("not a Twitch login: '" + login + "'");
            }
            if (oauthToken == null || oauthToken.isBlank()) {
                throw new IllegalArgumentException("the token is blank");
            }
            String t = oauthToken.strip();
            t = t.startsWith("oauth:") ? t.substring("oauth:".length()) : t;
            if (t.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw new IllegalArgumentException("the token holds spaces or control characters");
            }
            nick = n;
            token = t;
            return this;
        }

        /** Waits between reconnections (default 1 s doubling to 2 min, with jitter). */
        public Builder backoff(Backoff value) {
            backoff = Objects.requireNonNull(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** After this long without a line the client sends its own PING; as long again without one, it reconnects. */
        public Builder silence(Duration value) {
            silence = value;
            return this;
        }

        /** At most {@code messages} sent in any {@code window} (Twitch: 20 in 30 s for a bot that is not a moderator). */
        public Builder sendLimit(int messages, Duration window) {
            if (messages < 1) {
                throw new IllegalArgumentException("messages must be at least 1");
            }
            sendLimit = messages;
            sendWindow = window;
            return this;
        }

        /** Messages waiting to be sent; beyond it {@link TwitchChat#send} refuses (default 20). */
        public Builder outgoing(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("messages must be at least 1");
            }
            outgoing = messages;
            return this;
        }

        /** Called on the reader thread for each message of the channel: hand the work off, quickly. */
        public Builder onMessage(Consumer<ChatMessage> handler) {
            onMessage = Objects.requireNonNull(handler);
            return this;
        }

        /** Called once when the login is refused and the client stops. */
        public Builder onFailure(Consumer<String> handler) {
            onFailure = Objects.requireNonNull(handler);
            return this;
        }

        public TwitchChat build() {
            if (channel == null) {
                throw new IllegalStateException("no channel to join");
            }
            return new TwitchChat(this);
        }
    }
}
