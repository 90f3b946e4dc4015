package tv.latent.backend.twitch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A Twitch chat IRC server on 127.0.0.1 (plain, like port 6667) speaking the documented dialect:
 * CAP ACK, the welcome numerics, JOIN echoed, PRIVMSG with IRCv3 tags, PING, RECONNECT, and
 * {@code NOTICE * :Login authentication failed} for a wrong token. Tests make viewers talk,
 * ping, ask for a reconnect, drop connections, and read what the client sent.
 */
public final class FakeTwitchChat implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final String acceptedToken;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger messageIds = new AtomicInteger();
    /** Every line any client sent, in order (PASS lines included: tests check what was sent). */
    public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    /** Every PRIVMSG a client sent, as "#channel :text". */
    public final BlockingQueue<String> said = new LinkedBlockingQueue<>();

    /** A connected client. */
    private final class Connection {
        final Socket socket;
        final OutputStream out;
        volatile String nick = "";
        volatile String channel = "";

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void send(String line) {
            try {
                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the client went away
            }
        }
    }

    /** A server that accepts any login without a token, and a token only when it is {@code acceptedToken}. */
    public FakeTwitchChat(String acceptedToken) throws IOException {
        this.acceptedToken = acceptedToken;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("fake-twitch-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Connection c = new Connection(s);
                connections.add(c);
                Thread.ofVirtual().name("fake-twitch-conn").start(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Connection c) {
        String pass = null;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(c.socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                received.add(line);
                IrcLine irc = IrcLine.parse(line);
                switch (irc.command()) {
                    case "CAP" -> c.send(":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands");
                    case "PASS" -> pass = irc.param(0);
                    case "NICK" -> {
                        c.nick = irc.param(0);
                        boolean anonymous = c.nick.startsWith("justinfan") && pass == null;
                        if (!anonymous && (pass == null || !pass.equals("oauth:" + acceptedToken))) {
                            c.send(":tmi.twitch.tv NOTICE * :Login authentication failed");
                            c.socket.close();
                            return;
                        }
                        c.send(":tmi.twitch.tv 001 " + c.nick + " :Welcome, GLHF!");
                        c.send(":tmi.twitch.tv 376 " + c.nick + " :>");
                    }
                    case "JOIN" -> {
                        c.channel = irc.param(0);
                        c.send(":" + c.nick + "!" + c.nick + "@" + c.nick + ".tmi.twitch.tv JOIN " + c.channel);
                        c.send("@emote-only=0;room-id=1 :tmi.twitch.tv ROOMSTATE " + c.channel);
                    }
                    case "PRIVMSG" -> said.add(irc.param(0) + " :" + irc.param(1));
                    default -> {}
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // the connection ended
        } finally {
            connections.remove(c);
        }
    }

    /** Waits until some client has joined {@code #channel}. */
    public void awaitJoined(String channel, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections.stream().noneMatch(c -> c.channel.equals("#" + channel))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no client joined #" + channel + " within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** A viewer says {@code text} in {@code #channel}, with the tags Twitch sends. */
    public void say(String channel, String userId, String login, String displayName, String text) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("badge-info", "");
        tags.put("color", "#1E90FF");
        tags.put("display-name", displayName);
        tags.put("id", "msg-" + messageIds.incrementAndGet());
        tags.put("mod", "0");
        tags.put("subscriber", "0");
        tags.put("tmi-sent-ts", String.valueOf(System.currentTimeMillis()));
        tags.put("user-id", userId);
        String tagText = tags.entrySet().stream()
                .map(e -> e.getKey() + "=" + escape(e.getValue()))
                .collect(Collectors.joining(";"));
        sendAll("@" + tagText + " :" + login + "!" + login + "@" + login + ".tmi.twitch.tv PRIVMSG #" + channel + " :"
                + text);
    }

    /** Sends a raw line to every client. */
    public void sendAll(String line) {
        connections.forEach(c -> c.send(line));
    }

    public void ping() {
        sendAll("PING :tmi.twitch.tv");
    }

    public void askToReconnect() {
        sendAll(":tmi.twitch.tv RECONNECT");
    }

    /** Closes every client connection (the server keeps listening). */
    public void dropEveryone() {
        List<Connection> dropped = List.copyOf(connections);
        connections.removeAll(dropped);
        for (Connection c : dropped) {
            try {
                c.socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /** The next line a client sent that starts with {@code start}, waiting at most {@code timeout}. */
    public String awaitReceived(String start, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + start + "' within " + timeout);
            }
            if (line.startsWith(start)) {
                return line;
            }
        }
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\:").replace(" ", "\\s");
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropEveryone();
        acceptor.interrupt();
    }
}
