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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} of a real station on loopback:
 * the metrics parse as Prometheus text (checked by Prometheus's own {@code promtool}) and name
 * every part of the station, and nothing in them shows a path or a backend's address; readiness
 * fails on a database that is gone; no API answer shows a backend URL or an absolute path. One
 * station serves the class (one test adds a failed job to it); the database test has its own.
 */
@SlowTest
class MetricsAndHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A render backend that is never called (this station airs only): its circuit still shows. */
    private static final String DEAD_BACKEND = "http://127.0.0.1:9";

    @TempDir
    static Path dir;

    static Station station;
    static String base;

    @BeforeAll
    static void startStation() throws Exception {
        UnaryOperator<String> env = name -> name.equals("RELAY_KEY") ? "relay-key-1234" : null;
        Path file = Stations.config(
                dir,
                """
            push:
              - {name: relay, url: "rtmp://127.0.0.1:9/live", keyEnv: RELAY_KEY}
            stages: {render: [gpu, procedural]}
        backends:
          gpu: {type: gradio-zeroscope, url: '%s'}
        """
                        .formatted(DEAD_BACKEND));
        LatentConfig config = Stations.load(file, env);
        Stations.fillLibrary(config, 3);
        station = Stations.airing(config, env);
        base = station.url();
    }

    @AfterAll
    static void stop() {
        if (station != null) {
            station.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void metricsParseAsPrometheusTextAndNameEveryPartOfTheStation() throws Exception {
        assertThat(get("/hls/tv/live.m3u8").statusCode()).isEqualTo(200);
        HttpResponse<String> answer = get("/metrics");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String body = answer.body();

        PromtoolResult checked = promtoolCheckMetrics(body);
        assertThat(checked.exitCode())
                .as("promtool check metrics says: %s", checked.output())
                .isZero();

        assertThat(body)
                .contains(
                        "latenttv_jobs{channel=\"tv\",state=\"render\"}",
                        "latenttv_jobs_ended_total{channel=\"tv\",state=\"mastered\"}",
                        "latenttv_jobs_ended_total{channel=\"tv\",state=\"failed\"}",
                        "latenttv_stage_duration_seconds_bucket{backend=\"gpu\",stage=\"render\"",
                        "latenttv_stage_duration_seconds_count{backend=\"ffmpeg\",stage=\"master\"}",
                        "latenttv_stage_failures_total{backend=\"procedural\",stage=\"render\"}",
                        "latenttv_backend_circuit_state{backend=\"gpu\",endpoint=\"0\"} 0",
                        "latenttv_lookahead_fresh_seconds{channel=\"tv\"}",
                        "latenttv_lookahead_target_seconds{channel=\"tv\"} 10",
                        "latenttv_generation_failing{channel=\"tv\"} 0",
                        "latenttv_airings_total{channel=\"tv\",kind=\"fresh\"}",
                        "latenttv_airings_total{channel=\"tv\",kind=\"rerun\"}",
                        "latenttv_airings_total{channel=\"tv\",kind=\"slate\"}",
                        "latenttv_push_up{channel=\"tv\",target=\"relay\"}",
                        "latenttv_push_reconnects_total{channel=\"tv\",target=\"relay\"}",
                        "latenttv_sse_clients{channel=\"tv\"}",
                        "latenttv_sse_rejected_total",
                        "latenttv_ts_clients{channel=\"tv\"}",
                        "latenttv_ts_rejected_total",
                        "latenttv_ts_dropped_total",
                        "latenttv_http_connections",
                        "latenttv_http_requests_seconds_count{method=\"GET\",route=\"/hls/{channel}/live.m3u8\",status=\"2xx\"}",
                        "latenttv_disk_free_bytes",
                        "latenttv_generation_paused 0",
                        "latenttv_clips_deleted_total",
                        "latenttv_library_clips{channel=\"tv\"} 3",
                        "latenttv_playout_events_dropped_total",
                        "jvm_memory_used_bytes");
        assertThat(body)
                .as("no path, address or key in the metrics")
                .doesNotContain(dir.toString(), DEAD_BACKEND, "127.0.0.1", "relay-key-1234");
    }

    @Test
    void unmatchedRoutesAreCountedUnderOneLabel() throws Exception {
        assertThat(get("/no/such/route/" + System.nanoTime()).statusCode()).isEqualTo(404);
        String body = get("/metrics").body();
        assertThat(body)
                .contains("latenttv_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"}")
                .doesNotContain("/no/such/route");
    }

    @Test
    void liveAnswersAndReadyListsEveryCheckPassing() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("live");

        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("ready");
        List<String> names = new ArrayList<>();
        body.get("checks").forEach(check -> {
            names.add(check.get("name").asText());
            assertThat(check.get("ok").asBoolean()).as(check.toString()).isTrue();
        });
        assertThat(names).containsExactly("database", "ffmpeg", "dataDir", "channel:tv");
        assertThat(ready.body()).doesNotContain(dir.toString());
    }

    @Test
    void channelStatusSaysGenerationIsOffOnAStationThatOnlyAirs() throws Exception {
        JsonNode generation = JSON.readTree(get("/api/channels/tv").body()).get("generation");
        assertThat(generation.get("state").asText()).isEqualTo("off");
        assertThat(generation.get("reason").asText()).isEmpty();
    }

    @Test
    void jobsShowNeitherBackendUrlsNorAbsolutePathsInTheirLastError() throws Exception {
        String url = "http://10.20.30.40:7860/gradio_api/call/run";
        String path = dir.resolve("data/work/job-x/render.mp4").toString();
        Instant at = Instant.now();
        station.jobs()
                .insert(List.of(new ShotJob(
                        "failed-with-secrets",
                        Stations.CHANNEL,
                        new ShotPlan("A failed shot", "a heron", "", 1, "", ""),
                        "test",
                        "",
                        JobState.order(true),
                        JobState.FAILED,
                        3,
                        at,
                        "render failed: gpu: POST " + url + " answered 500; kept " + path,
                        Map.of(),
                        0,
                        at,
                        at)));
        HttpResponse<String> answer = get("/api/jobs?channel=tv");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode failed = null;
        for (JsonNode job : JSON.readTree(answer.body())) {
            if (job.get("id").asText().equals("failed-with-secrets")) {
                failed = job;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.get("lastError").asText())
                .startsWith("render failed: gpu: POST ")
                .contains("answered 500", "render.mp4");
        assertThat(answer.body()).doesNotContain("10.20.30.40", "http://", dir.toString());
    }

    @Test
    void readyAnswers503WithTheDatabaseCheckFailingWhileTheDatabaseIsClosed(@TempDir Path own) throws Exception {
        LatentConfig config = Stations.load(Stations.config(own, ""), k -> null);
        Stations.fillLibrary(config, 1);
        try (Station closing = Stations.airing(config, k -> null)) {
            String url = closing.url();
            assertThat(RawHttp.get(url, "/health/ready".getBytes(StandardCharsets.US_ASCII))
                            .status())
                    .isEqualTo(200);

            closing.jobs().database().close();

            RawHttp.Answer ready = RawHttp.get(url, "/health/ready".getBytes(StandardCharsets.US_ASCII));
            assertThat(ready.status()).as(ready.text()).isEqualTo(503);
            JsonNode body = JSON.readTree(ready.body());
            assertThat(body.get("status").asText()).isEqualTo("unready");
            JsonNode database = body.get("checks").get(0);
            assertThat(database.get("name").asText()).isEqualTo("database");
            assertThat(database.get("ok").asBoolean()).isFalse();
            assertThat(database.get("detail").asText()).contains("closed");
            assertThat(ready.text()).doesNotContain(own.toString());
            assertThat(RawHttp.get(url, "/health/live".getBytes(StandardCharsets.US_ASCII))
                            .status())
                    .as("the process still answers")
                    .isEqualTo(200);
        }
    }

    record PromtoolResult(int exitCode, String output) {}

    /** Prometheus's own parser and linter over the exposition text. */
    static PromtoolResult promtoolCheckMetrics(String exposition) throws Exception {
        assertThat(Path.of("/usr/bin/promtool"))
                .as("promtool, from Debian's prometheus package (./latenttv test installs it)")
                .exists();
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        Thread feed = Thread.ofVirtual().start(() -> {
            try (var in = promtool.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // promtool ended early: its exit code says why
            }
        });
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        feed.join();
        return new PromtoolResult(promtool.exitValue(), output);
    }
}
