package tv.latent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a server, which a test can cut off like a network
 * partition: {@link #cut()} silently drops every byte both ways on the open connections and lets
 * new ones connect and hear nothing (as a firewall that drops packets would: no reset, so each
 * side notices only by its own timeouts); {@link #mend()} forwards again, on new connections (the
 * ones open during the cut stay dead, as TCP sessions that lost data would).
 *
 * <pre>{@code
 * try (TcpRelay relay = TcpRelay.to(5432)) {
 *   String url = "jdbc:postgresql://127.0.0.1:" + relay.port() + "/db";
 *   relay.cut();
 *   relay.mend();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    /** One relayed connection; it forwards nothing once it was open during a cut. */
    private final class Link {
        final Socket client;
        final Socket server;
        volatile boolean dead;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (cut) {
                        dead = true;
                    }
                    if (!dead) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the other side went away: so does this link
            } finally {
                close();
            }
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            links.remove(this);
        }
    }

    private TcpRelay(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A relay to 127.0.0.1:{@code target} on a free port of its own. */
    public static TcpRelay to(int target) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpRelay relay = new TcpRelay(listener, target);
            Thread.ofVirtual().name("relay-" + target).start(relay::accept);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops everything from now on, silently, until {@link #mend()}. */
    public void cut() {
        cut = true;
        for (Link link : links) {
            link.dead = true;
        }
    }

    /** Forwards again on connections made from now on. */
    public void mend() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                Link link = new Link(client, server);
                link.dead = cut;
                links.add(link);
                Thread.ofVirtual().start(() -> link.pump(client, server));
                Thread.ofVirtual().start(() -> link.pump(server, client));
            } catch (IOException e) {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // the server is not there: neither is this connection
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
    }
}
