package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.Heap;
import tv.latent.testing.SlowTest;

/**
 * Viewers cannot hurt the channel: five thousand now-playing streams asked at once are served up
 * to the channel's cap and refused with 503 beyond it, while the playlist answers, the channel
 * goes on airing and events still reach every stream; browsers that never read hold nobody up;
 * memory stays bounded.
 */
@SlowTest
class EventStreamCrowdTest {
    private static final int ASKED = 5_000;
    private static final int PER_CHANNEL = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Station station;
    static String base;

    @BeforeAll
    static void startStation() throws Exception {
        Path file = Stations.config(
                dir, "maxConnections: 8000, maxEventClients: 1500, maxEventClientsPerChannel: " + PER_CHANNEL, "");
        LatentConfig config = Stations.load(file, k -> null);
        Stations.fillLibrary(config, 3);
        station = Stations.airing(config, k -> null);
        base = station.url();
    }

    @AfterAll
    static void stop() {
        if (station != null) {
            station.close();
        }
    }

    @Test
    void fiveThousandStreamsAreServedUpToTheCapAndRefusedBeyondWhileTheChannelAirs() throws Exception {
        // warm-up: what serving a stream needs at all (classes, pools) is in the baseline
        try (EventStreams.Opened warm = EventStreams.open(base, Stations.CHANNEL, 0)) {
            assertThat(warm.status()).isEqualTo(200);
        }
        // the server counts a closed stream until it notices the close: the crowd starts from none
        assertThat(streamsOnceClosed()).as("streams open before the crowd").isZero();
        long before = Heap.usedAfterGc();

        ConcurrentLinkedQueue<EventStreams.Opened> served = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<EventStreams.Opened> refused = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Semaphore connecting = new Semaphore(500); // within the listen backlog: no SYN retries to wait for
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < ASKED; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        connecting.acquire();
                        try {
                            EventStreams.Opened stream = EventStreams.open(base, Stations.CHANNEL, 0);
                            (stream.status() == 200 ? served : refused).add(stream);
                        } finally {
                            connecting.release();
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(errors).as("errors").isEmpty();
            assertThat(served).as("served").hasSize(PER_CHANNEL);
            assertThat(refused).as("refused").hasSize(ASKED - PER_CHANNEL);
            for (EventStreams.Opened no : refused) {
                assertThat(no.status()).isEqualTo(503);
                assertThat(no.retryAfter()).isNotEmpty();
                JsonNode body = JSON.readTree(no.firstBytes());
                assertThat(body.get("status").asInt()).isEqualTo(503);
            }
            for (EventStreams.Opened yes : served) {
                assertThat(yes.firstBytes()).contains("data: {\"id\":\"tv\"");
            }
            long during = Heap.usedAfterGc();
            System.out.printf(
                    "%d streams open: heap after GC %d MiB (before: %d MiB), %d KiB per stream%n",
                    served.size(), during >> 20, before >> 20, (during - before) / served.size() >> 10);
            assertThat((during - before) / served.size())
                    .as("heap bytes per open stream")
                    .isLessThan(64L << 10);

            // meanwhile the playlist answers and the channel goes on: a newer segment comes
            assertChannelMovesOn();
            // and the next airing's event reaches the streams (first and last joined)
            served.peek().awaitText("event: now-playing", 2);
            served.stream().reduce((a, b) -> b).orElseThrow().awaitText("event: now-playing", 2);
            assertThat(metric("latenttv_sse_clients{channel=\"tv\"}")).isEqualTo(PER_CHANNEL);
        } finally {
            for (EventStreams.Opened stream : served) {
                stream.close();
            }
        }
        assertThat(streamsOnceClosed()).as("streams left").isZero();
    }

    @Test
    void browsersThatNeverReadDelayNeitherOtherBrowsersNorThePlaylist() throws Exception {
        List<EventStreams.Opened> stuck = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                // a small receive window that nobody empties: the server's writes to it stall first
                stuck.add(EventStreams.open(base, Stations.CHANNEL, 1024));
            }
            try (EventStreams.Opened reader = EventStreams.open(base, Stations.CHANNEL, 0)) {
                // two airing changes (64-frame clips: one every 2.7 s) reach the reader
                reader.awaitText("event: now-playing", 3);
                assertChannelMovesOn();
            }
        } finally {
            for (EventStreams.Opened stream : stuck) {
                stream.close();
            }
        }
    }

    /** The playlist answers, and within a minute names a newer segment than it does now. */
    private static void assertChannelMovesOn() throws Exception {
        long first = newestSegment();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long now = first;
        while (now <= first && System.nanoTime() < deadline) {
            Thread.sleep(250);
            now = newestSegment();
        }
        assertThat(now).as("the newest segment of the live playlist").isGreaterThan(first);
    }

    private static long newestSegment() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> playlist = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/hls/tv/live.m3u8"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(playlist.statusCode()).isEqualTo(200);
            return playlist.body()
                    .lines()
                    .filter(l -> l.endsWith(".ts"))
                    .mapToLong(l -> Long.parseLong(l.substring(0, l.length() - 3)))
                    .max()
                    .orElseThrow();
        }
    }

    /** The streams the server counts once it noticed every close (waits up to a minute). */
    private static double streamsOnceClosed() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metric("latenttv_sse_clients{channel=\"tv\"}") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return metric("latenttv_sse_clients{channel=\"tv\"}");
    }

    private static double metric(String series) throws Exception {
        String text = RawHttp.get(base, "/metrics".getBytes(StandardCharsets.US_ASCII))
                .text();
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow();
    }
}
