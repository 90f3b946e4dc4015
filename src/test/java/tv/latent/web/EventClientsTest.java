package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fan-out of now-playing events: a browser whose connection stops taking bytes is dropped once
 * its queue is full, and no other browser (nor the publisher) waits for it; the caps refuse
 * streams beyond them.
 */
class EventClientsTest {
    private static final Duration QUIET = Duration.ofSeconds(30);

    /** A connection whose writes never complete until it is aborted, as a browser that stopped reading. */
    private static final class StuckConnection extends OutputStream {
        final CountDownLatch aborted = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(1);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                aborted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("connection aborted");
        }
    }

    /** A connection that takes every byte; thread-safe. */
    private static final class Browser extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBrowserThatStopsReadingIsDroppedWhileTheOthersGetEveryEvent() throws Exception {
        EventClients clients = new EventClients(10, 10);
        StuckConnection stuck = new StuckConnection();
        EventClients.Client slow = clients.join("tv", stuck.aborted::countDown).orElseThrow();
        Browser browser = new Browser();
        EventClients.Client healthy = clients.join("tv", () -> {}).orElseThrow();
        Thread slowThread = Thread.ofVirtual().start(() -> serveQuietly(slow, stuck));
        Thread healthyThread = Thread.ofVirtual().start(() -> serveQuietly(healthy, browser));

        clients.publish("tv", EventClients.frame("now-playing", "{\"n\":0}"));
        stuck.writing.await(); // the slow browser's thread is now blocked in its first write
        awaitText(browser, "{\"n\":0}");
        // events at the pace a healthy browser takes them (a burst faster than that would drop it too)
        int events = 5 * EventClients.QUEUED;
        for (int n = 1; n < events; n++) {
            clients.publish("tv", EventClients.frame("now-playing", "{\"n\":" + n + "}"));
            awaitText(browser, "{\"n\":" + n + "}");
        }

        assertThat(stuck.aborted.getCount())
                .as("the stuck connection was aborted")
                .isZero();
        slowThread.join();
        assertThat(clients.dropped()).isEqualTo(1);
        assertThat(clients.count("tv")).isEqualTo(1);
        awaitText(browser, "{\"n\":" + (events - 1) + "}");
        String text = browser.text();
        for (int n = 0; n < events; n++) {
            assertThat(text).contains("data: {\"n\":" + n + "}\n\n");
        }
        assertThat(text.indexOf("{\"n\":1}")).isLessThan(text.indexOf("{\"n\":2}"));

        clients.close();
        healthyThread.join();
        assertThat(clients.count()).isZero();
    }

    @Test
    void streamsBeyondTheChannelCapOrTheTotalCapAreRefused() {
        EventClients clients = new EventClients(3, 2);
        AtomicInteger aborted = new AtomicInteger();
        EventClients.Client first = clients.join("a", aborted::incrementAndGet).orElseThrow();
        assertThat(clients.join("a", aborted::incrementAndGet)).isPresent();
        assertThat(clients.join("a", aborted::incrementAndGet))
                .as("third of channel a")
                .isEmpty();
        assertThat(clients.join("b", aborted::incrementAndGet)).isPresent();
        assertThat(clients.join("c", aborted::incrementAndGet))
                .as("fourth in all")
                .isEmpty();
        assertThat(clients.rejected()).isEqualTo(2);

        clients.leave(first);
        clients.leave(first);
        assertThat(clients.count()).isEqualTo(2);
        assertThat(clients.join("a", aborted::incrementAndGet))
                .as("a place came free")
                .isPresent();
        clients.close();
        assertThat(clients.join("a", aborted::incrementAndGet)).as("closed").isEmpty();
        assertThat(aborted.get()).as("leaving is not dropping").isZero();
    }

    @Test
    void aQuietStreamGetsKeepAliveComments() throws Exception {
        EventClients clients = new EventClients(1, 1);
        EventClients.Client client = clients.join("tv", () -> {}).orElseThrow();
        Browser browser = new Browser();
        Thread serving = Thread.ofVirtual().start(() -> {
            try {
                client.serve(browser, Duration.ofMillis(20));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitText(browser, ": keep-alive\n\n");
        clients.leave(client);
        serving.join();
    }

    private static void serveQuietly(EventClients.Client client, OutputStream out) {
        try {
            client.serve(out, QUIET);
        } catch (IOException e) {
            // the connection was aborted: the stream ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitText(Browser browser, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!browser.text().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(browser.text()).contains(expected);
    }
}
