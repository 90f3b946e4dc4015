package tv.latent.backend.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a {@code text/event-stream} body on a virtual thread and hands its events to the caller,
 * who waits with a deadline. A blocking read cannot time out by itself; this way the caller's
 * deadline holds however the server behaves (silent, trickling heartbeats, endless lines).
 *
 * <pre>{@code
 * try (EventStream<GradioException> events = transport.events(response, route, 16 << 20)) {
 *   for (EventStream.Event e; (e = events.next(deadline)) != null; ) { ... }
 * }
 * }</pre>
 *
 * <p>Bounded by {@code maxEventBytes}: a line longer than that, or an event whose data lines add
 * up to more (one endless {@code data:} line, or endless short ones), fails the stream with
 * TOO_LARGE as soon as the limit is passed, without reading further. Events waiting for the
 * caller hold at most {@code maxEventBytes} between them (and at most 32 events); the reader then
 * waits, and so does the server's side of the connection. So one stream holds at most about three
 * times {@code maxEventBytes}: what waits, the event being read, and its current line. A broken
 * connection fails it with DISCONNECTED, unless it was closed here.
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

    /** An event on its way to the caller, with the bytes it holds of the queue's budget. */
    private record Queued(Event event, int bytes) {}

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(32);
    private final Semaphore queuedBytes;
    private final InputStream raw;
    private final InputStream in;
    private final String route;
    private final int maxEventBytes;
    private final HttpTransport.Failures<E> failures;
    private final Thread reader;
    private volatile boolean closed;

    /**
     * @param raw the body as it arrives, closed by {@link #close} to stop the reader
     * @param decoded what the reader reads: {@code raw}, or a decoder over it
     */
    EventStream(
            InputStream raw, InputStream decoded, String route, int maxEventBytes, HttpTransport.Failures<E> failures) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
        }
        this.raw = raw;
        this.in = new BufferedInputStream(decoded, 16 * 1024);
        this.route = route;
        this.maxEventBytes = maxEventBytes;
        this.queuedBytes = new Semaphore(maxEventBytes);
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
     * @throws E when the connection broke, or a line or an event was too long
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
        Queued queued = (Queued) item;
        queuedBytes.release(queued.bytes());
        return queued.event();
    }

    private void read() {
        try (in) {
            String name = null;
            StringBuilder data = null;
            int eventBytes = 0;
            byte[] line;
            while ((line = readLine()) != null) {
                if (line.length == 0) {
                    if (data != null) {
                        dispatch(name, data, eventBytes);
                    }
                    name = null;
                    data = null;
                    eventBytes = 0;
                    continue;
                }
                if (line[0] == ':') {
                    continue;
                }
                String text = new String(line, StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                String field = colon < 0 ? text : text.substring(0, colon);
                String value = colon < 0 ? "" : text.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    name = value;
                } else if (field.equals("data")) {
                    eventBytes += line.length + 1;
                    if (eventBytes > maxEventBytes) {
                        throw new TooLarge("an event-stream event is larger than " + maxEventBytes + " bytes");
                    }
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                }
            }
            if (data != null) {
                dispatch(name, data, eventBytes);
            }
            queue.put(END);
        } catch (TooLarge e) {
            deliver(new Failed(failures.failure(HttpFailure.TOO_LARGE, route, e.getMessage(), null)));
        } catch (IOException e) {
            if (!closed) {
                deliver(new Failed(failures.failure(
                        HttpFailure.DISCONNECTED, route, "the event stream broke: " + e.getMessage(), e)));
            }
        } catch (InterruptedException e) {
            // closed by the caller
        } catch (RuntimeException e) {
            // a decoder failing on a body closed under it, or a bug: the caller hears of it either way
            if (!closed) {
                deliver(new Failed(failures.failure(
                        HttpFailure.MALFORMED_RESPONSE, route, "the event stream could not be read: " + e, e)));
            }
        }
    }

    /** Queues an event once the events already waiting leave room for its bytes. */
    private void dispatch(String name, StringBuilder data, int bytes) throws InterruptedException {
        int held = Math.max(1, Math.min(bytes, maxEventBytes));
        queuedBytes.acquire(held);
        queue.put(new Queued(new Event(name == null ? "message" : name, data.toString()), held));
    }

    /** Hands the final item over even when the queue is full; gives up only when closed. */
    private void deliver(Object last) {
        try {
            queue.put(last);
        } catch (InterruptedException e) {
            // closed by the caller
        }
    }

    /** The next line without its end, or null at the end of the stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            if (b == '\n') {
                return line.toByteArray();
            }
            if (b == '\r') {
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return line.toByteArray();
            }
            if (line.size() >= maxEventBytes) {
                throw new TooLarge("an event-stream line is longer than " + maxEventBytes + " bytes");
            }
            line.write(b);
        }
    }

    /** Stops the reader and closes the body. Idempotent. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        // the raw body, not the decoder: the reader may be inside it, and it closes that itself
        HttpTransport.closeQuietly(raw);
    }

    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }
}
