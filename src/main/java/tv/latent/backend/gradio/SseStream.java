package tv.latent.backend.gradio;

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
 * Reads a {@code text/event-stream} body on a virtual thread and hands events to the caller, who
 * waits with a deadline. A blocking read cannot time out by itself; this way the caller's deadline
 * holds however the server behaves (silent, trickling heartbeats, endless lines).
 */
final class SseStream implements AutoCloseable {

    /** One dispatched event: its {@code event:} name ("message" when absent) and its data. */
    record Event(String name, String data) {}

    private static final Object END = new Object();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(32);
    private final InputStream in;
    private final String label;
    private final int maxLineBytes;
    private final Thread reader;
    private volatile boolean closed;

    SseStream(InputStream in, String label, int maxLineBytes) {
        this.in = new BufferedInputStream(in, 16 * 1024);
        this.label = label;
        this.maxLineBytes = maxLineBytes;
        this.reader = Thread.ofVirtual()
                .name("gradio-sse-" + COUNTER.incrementAndGet())
                .start(this::read);
    }

    /**
     * The next event, or null when the server closed the stream.
     *
     * @throws TimeoutException when the deadline passes first
     * @throws GradioTransportException when the connection broke or a line was too long
     */
    Event next(Deadline deadline) throws GradioTransportException, InterruptedException, TimeoutException {
        Object item = queue.poll(Math.max(deadline.remainingNanos(), 0), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new TimeoutException();
        }
        if (item == END) {
            queue.offer(END);
            return null;
        }
        if (item instanceof GradioTransportException e) {
            queue.offer(END);
            throw e;
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
        } catch (GradioTransportException e) {
            deliver(e);
        } catch (IOException e) {
            if (!closed) {
                deliver(new GradioTransportException(label, "the event stream broke: " + e.getMessage(), true, e));
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
                throw new GradioTransportException(
                        label, "an event-stream line is longer than " + maxLineBytes + " bytes", false, null);
            }
            line.write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        Http.closeQuietly(in);
    }
}
