package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.Heap;
import tv.latent.testing.SlowTest;

/** A thousand viewers at once on loopback: every playlist and segment request answers, and memory stays flat. */
@SlowTest
class ConcurrentReadersTest {
    private static final int READERS = 1_000;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void aThousandConcurrentReadersGetNoErrorsAndHeapStaysFlat() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), k -> null);
        Stations.fillLibrary(config, 4);
        try (Station station = Stations.airing(config, k -> null)) {
            String base = station.url() + "/hls/" + Stations.CHANNEL + "/";
            // warm-up, so the baseline includes what serving needs at all (caches, Jetty's pools)
            readRounds(base, 50, 2);
            long before = Heap.usedAfterGc();
            long[] after = new long[2];
            // two full runs: the second must not leave more behind than the first (nothing accumulates per request)
            for (int run = 0; run < 2; run++) {
                long started = System.nanoTime();
                Result result = readRounds(base, READERS, ROUNDS);
                double seconds = (System.nanoTime() - started) / 1e9;
                after[run] = Heap.usedAfterGc();
                System.out.printf(
                        "run %d: %d readers x %d rounds: %d requests in %.1f s, %d errors; heap after GC %d MiB (before: %d MiB)%n",
                        run + 1,
                        READERS,
                        ROUNDS,
                        result.requests(),
                        seconds,
                        result.errors().size(),
                        after[run] >> 20,
                        before >> 20);
                assertThat(result.errors()).as("errors").isEmpty();
                assertThat(result.requests()).isEqualTo(READERS * ROUNDS * 2);
            }
            assertThat(after[0] - before)
                    .as("heap growth in bytes after the first run")
                    .isLessThan(64L << 20);
            assertThat(after[1] - after[0])
                    .as("heap growth in bytes from run 1 to run 2")
                    .isLessThan(16L << 20);
        }
    }

    private record Result(int requests, List<String> errors) {}

    /** Readers on their own client, closed at the end so that its connections (and the server's side of them) go. */
    private static Result readRounds(String base, int readers, int rounds) throws InterruptedException {
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            return readRounds(client, base, readers, rounds);
        }
    }

    private static Result readRounds(HttpClient client, String base, int readers, int rounds)
            throws InterruptedException {
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        HttpResponse<String> playlist = client.send(
                                HttpRequest.newBuilder(URI.create(base + "live.m3u8"))
                                        .timeout(Duration.ofSeconds(60))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        requests.incrementAndGet();
                        if (playlist.statusCode() != 200) {
                            errors.add("playlist " + playlist.statusCode());
                            continue;
                        }
                        String segment = playlist.body()
                                .lines()
                                .filter(l -> l.endsWith(".ts"))
                                .reduce((a, b) -> b)
                                .orElse("none");
                        HttpResponse<byte[]> ts = client.send(
                                HttpRequest.newBuilder(URI.create(base + segment))
                                        .timeout(Duration.ofSeconds(60))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        requests.incrementAndGet();
                        if (ts.statusCode() != 200 || ts.body().length == 0 || ts.body()[0] != 0x47) {
                            errors.add("segment " + segment + " " + ts.statusCode());
                        }
                    }
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return new Result(requests.get(), List.copyOf(errors));
    }
}
