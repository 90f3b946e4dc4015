package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * A channel whose only render backend is down says so in its status: generation failing, why
 * (without the backend's address), and when it tries again; its metrics count the failed tries.
 */
@SlowTest
class GenerationStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aChannelWhoseRenderBackendIsDownShowsGenerationFailingWithoutTheBackendsAddress() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort(); // nothing listens there once closed
        }
        String backend = "http://127.0.0.1:" + closedPort;
        Path file = Stations.config(
                dir,
                """
            stages: {render: [gpu]}
        pipeline: {maxAttempts: 1}
        backends:
          gpu: {type: gradio-zeroscope, url: '%s', retries: 0}
        """
                        .formatted(backend));
        LatentConfig config = Stations.load(file, k -> null);
        try (Station station = Station.start(config, Station.Options.serving(0))) {
            String base = station.url();
            JsonNode generation = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                generation = JSON.readTree(RawHttp.get(base, "/api/channels/tv".getBytes(StandardCharsets.US_ASCII))
                                .body())
                        .get("generation");
                if (generation.get("state").asText().equals("failing")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(generation.get("state").asText()).isEqualTo("failing");
            assertThat(generation.get("failedInARow").asInt()).isPositive();
            assertThat(generation.get("reason").asText())
                    .startsWith("render failed")
                    .doesNotContain(backend);
            assertThat(generation.get("retryInSeconds").asLong()).isPositive();

            String everything = RawHttp.get(base, "/api/channels".getBytes(StandardCharsets.US_ASCII))
                            .text()
                    + RawHttp.get(base, "/api/jobs".getBytes(StandardCharsets.US_ASCII))
                            .text();
            assertThat(everything).doesNotContain("127.0.0.1", dir.toString());

            String metrics = RawHttp.get(base, "/metrics".getBytes(StandardCharsets.US_ASCII))
                    .text();
            assertThat(metrics)
                    .contains("latenttv_generation_failing{channel=\"tv\"} 1.0")
                    .doesNotContain("latenttv_stage_failures_total{backend=\"gpu\",stage=\"render\"} 0.0")
                    .doesNotContain("latenttv_jobs_ended_total{channel=\"tv\",state=\"failed\"} 0.0");
        }
    }
}
