package tv.latent.backend.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a {@code text/event-stream} body on a virtual thread and hands its events to the caller,
 * who waits with a deadline. A blocking read cannot time out by itself; this way the caller's
 * deadline holds however the server behaves (silent, trickling heartbeats, endless lines).
 *
 * <pre>{@code
 * try (EventStream<GradioException> events = transport.events(response.body(), route, 1 << 20)) {
 *   for (EventStream.Event e; (e = events.next(deadline)) != null; ) { ... }
 * }
 * }</pre>
 *
 * <p>Bounded: at most 32 events wait for the caller (the reader then blocks, and so does the
 * server's side of the connection), and a line longer than {@code maxLineBytes} fails the stream
 * with TOO_LARGE. A broken connection fails it with DISCONNECTED, unless it was closed here.
 *
 * <p>Thread-safety: one thread calls {@link #next}; {@link #close} may come from any thread and
 * is idempotent.
 *
 * @param <E> the client's exception type, made by its {@link HttpTransport.Failures}
 */
public final class EventStream<E extends Exception> implements AutoCloseable {

    /** One dispatched event: its {@code event:} name ("message" when absent) and its data. */
    public record Event(String name, String data) {}

    private static final Object END = new Object();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** A failure the reader met, handed over to the caller's thread. */
    private record Failed(Exception failure) {}

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(32);
    private final InputStream in;
    private final String route;
    private final int maxLineBytes;
    private final HttpTransport.Failures<E> failures;
    private final Thread reader;
    private volatile boolean closed;

    EventStream(InputStream body, String route, int maxLineBytes, HttpTransport.Failures<E> failures) {
        this.in = new BufferedInputStream(body, 16 * 1024);
        this.route = route;
        this.maxLineBytes = maxLineBytes;
        this.failures = failures;
        this.reader =
                Thread.ofVirtual().name("sse-" + COUNTER.incrementAndGet()).unstarted(this::read);
    }

    /** Starts reading; separate from the constructor so no half-built stream is seen by the reader. */
    EventStream<E> start() {
        reader.start();
        return this;
    }

    /**
     * The next event, or null when the server closed the stream.
     *
     * @throws TimeoutException when the deadline passes first
     * @throws E when the connection broke or a line was too long
     */
    @SuppressWarnings("unchecked") // every Failed holds what this stream's Failures made: an E
    public Event next(Deadline deadline) throws E, InterruptedException, TimeoutException {
        Object item = queue.poll(Math.max(deadline.remainingNanos(), 0), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new TimeoutException();
        }
        if (item == END) {
            queue.offer(END);
            return null;
        }
        if (item instanceof Failed failed) {
            queue.offer(END);
            throw (E) failed.failure();
        }
        return (Event) item;
    }

    private void read() {
        try {
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        queue.put(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    name = value;
                } else if (field.equals("data")) {
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                }
            }
            if (data != null) {
                queue.put(new Event(name == null ? "message" : name, data.toString()));
            }
            queue.put(END);
        } catch (LineTooLong e) {
            deliver(new Failed(failures.failure(
                    HttpFailure.TOO_LARGE,
                    route,
                    "an event-stream line is longer than " + maxLineBytes + " bytes",
                    null)));
        } catch (IOException e) {
            if (!closed) {
                deliver(new Failed(failures.failure(
                        HttpFailure.DISCONNECTED, route, "the event stream broke: " + e.getMessage(), e)));
            }
        } catch (InterruptedException e) {
            // closed by the caller
        }
    }

    /** Hands the final item over even when the queue is full; gives up only when closed. */
    private void deliver(Object last) {
        try {
            queue.put(last);
        } catch (InterruptedException e) {
            // closed by the caller
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\r') {
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= maxLineBytes) {
                throw new LineTooLong();
            }
            line.write(b);
        }
    }

    /** Stops the reader and closes the body. Idempotent. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        HttpTransport.closeQuietly(in);
    }

    private static final class LineTooLong extends IOException {
        LineTooLong() {
            super("line too long");
        }
    }
}
