package tv.latent.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Now-playing event streams opened over raw sockets, as many as a test wants, with no client
 * library in between: the request, the status and head, and the stream's bytes as they come.
 */
final class EventStreams {
    private EventStreams() {}

    /** An opened stream: its socket (still open when the server accepted it) and what came first. */
    record Opened(Socket socket, int status, String head, String firstBytes) implements AutoCloseable {
        String retryAfter() {
            return head.lines()
                    .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("retry-after:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("");
        }

        /** Reads from the stream until {@code text} has come {@code times} times in all (counting the first bytes). */
        void awaitText(String text, int times) throws IOException {
            StringBuilder seen = new StringBuilder(firstBytes);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (count(seen, text) < times) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the stream ended after: " + seen);
                }
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Opens {@code /api/channels/{channel}/events}: reads the head, then the first event when the
     * stream was accepted, or the whole (JSON) body when it was refused.
     *
     * @param receiveBuffer the socket's receive buffer in bytes, 0 for the system's
     */
    static Opened open(String baseUrl, String channel, int receiveBuffer) throws IOException {
        URI base = URI.create(baseUrl);
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 30_000);
            socket.setSoTimeout(60_000);
            socket.getOutputStream()
                    .write(("GET /api/channels/" + channel + "/events HTTP/1.1\r\nHost: " + base.getHost()
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int end;
            while ((end = got.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed before answering: " + got);
                }
                got.write(b);
            }
            String head = got.toString(StandardCharsets.ISO_8859_1).substring(0, end);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            if (status != 200) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                socket.close();
                return new Opened(socket, status, head, body);
            }
            StringBuilder first = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!first.toString().contains("event: now-playing")) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the stream ended before its first event: " + first);
                }
                first.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return new Opened(socket, status, head, first.toString());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int count(CharSequence haystack, String needle) {
        int n = 0;
        for (int i = haystack.toString().indexOf(needle);
                i >= 0;
                i = haystack.toString().indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
