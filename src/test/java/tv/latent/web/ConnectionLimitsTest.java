package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * The origin's own limits against a real station on loopback: beyond the connection cap a
 * request is answered 503 with a JSON body and {@code Retry-After} (health excepted), and clients
 * that trickle their headers a byte at a time (slowloris) or send nothing at all are closed after
 * the header timeout, although each byte would have restarted Jetty's idle timeout.
 */
@SlowTest
class ConnectionLimitsTest {
    private static final int MAX_CONNECTIONS = 20;
    private static final int HEADER_TIMEOUT_SECONDS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Station station;
    static String base;

    @BeforeAll
    static void startStation() throws Exception {
        Path file = Stations.config(
                dir,
                "maxConnections: %d, maxEventClients: 100, maxEventClientsPerChannel: 100, idleTimeoutSeconds: 60,"
                                .formatted(MAX_CONNECTIONS)
                        + " headerTimeoutSeconds: " + HEADER_TIMEOUT_SECONDS,
                "");
        LatentConfig config = Stations.load(file, k -> null);
        Stations.fillLibrary(config, 2);
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
    void requestsBeyondTheConnectionCapAreAnswered503WithRetryAfterAndHealthStillAnswers() throws Exception {
        List<EventStreams.Opened> held = new ArrayList<>();
        try {
            while (held.size() < MAX_CONNECTIONS) {
                EventStreams.Opened stream = EventStreams.open(base, Stations.CHANNEL, 0);
                assertThat(stream.status()).as("stream %d", held.size()).isEqualTo(200);
                held.add(stream);
            }
            RawHttp.Answer refused = RawHttp.get(base, "/api/channels".getBytes(StandardCharsets.US_ASCII));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.head().toLowerCase(java.util.Locale.ROOT)).contains("retry-after:");
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.get("status").asInt()).isEqualTo(503);
            assertThat(body.get("error").asText()).contains("too many connections");
            assertThat(RawHttp.get(base, "/health/live".getBytes(StandardCharsets.US_ASCII))
                            .status())
                    .as("liveness is never refused")
                    .isEqualTo(200);
        } finally {
            for (EventStreams.Opened stream : held) {
                stream.close();
            }
        }
        // the server sees the closed streams go, and serves again
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline
                && (status = RawHttp.get(base, "/api/channels".getBytes(StandardCharsets.US_ASCII))
                                .status())
                        != 200) {
            Thread.sleep(50);
        }
        assertThat(status).isEqualTo(200);
    }

    @Test
    void aClientTricklingItsHeadersIsClosedAfterTheHeaderTimeout() throws Exception {
        URI uri = URI.create(base);
        long started = System.nanoTime();
        boolean closedByServer = false;
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /api/channels HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            // one byte every quarter second, for up to a minute: Jetty's idle timeout (60 s here) never fires
            long giveUp = started + Duration.ofMinutes(1).toNanos();
            while (!closedByServer && System.nanoTime() < giveUp) {
                try {
                    out.write('a');
                    out.flush();
                    closedByServer = in.read() < 0;
                } catch (SocketTimeoutException e) {
                    // nothing from the server yet: trickle on
                } catch (IOException e) {
                    closedByServer = true; // reset: the server closed
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("the trickling client was closed after %.1f s%n", seconds);
        assertThat(closedByServer).as("closed by the server").isTrue();
        assertThat(seconds).as("not before the header timeout").isGreaterThanOrEqualTo(HEADER_TIMEOUT_SECONDS);
        assertThat(RawHttp.get(base, "/metrics".getBytes(StandardCharsets.US_ASCII))
                        .text())
                .doesNotContain("latenttv_http_slow_clients_closed_total 0.0");
    }

    @Test
    void aClientThatConnectsAndSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            assertThat(socket.getInputStream().read())
                    .as("end of stream: closed by the server")
                    .isEqualTo(-1);
        }
    }
}
