package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * Headless Chromium (Debian's, driven by playwright-core from tools/) watches a channel for 70 s
 * through the real watch page: hls.js, the live playlist, segments, server-sent events.
 */
@SlowTest
class BrowserPlaybackTest {
    private static final Path TOOLS = Path.of("tools").toAbsolutePath();
    private static final int SECONDS = 70;
    /** Start-up: from opening the page until the video first plays (buffering then is expected). */
    private static final double STARTUP_MS = 8_000;

    @TempDir
    Path dir;

    @Test
    void playsSeventySecondsAcrossMoreThanTenJoinsWithoutStallsAndTheCaptionFollows() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("apt-get install chromium").exists();
        assertThat(TOOLS.resolve("node_modules/playwright-core"))
                .as("cd tools && npm ci")
                .exists();
        LatentConfig config = Stations.load(Stations.config(dir, ""), k -> null);
        Stations.fillLibrary(config, 10);
        JsonNode report;
        try (Station station = Stations.airing(config, k -> null)) {
            // a viewer joins a channel already on air: hls.js starts three segments behind the live
            // edge, so one segment published late under load is no stall (DemoStartTest covers the
            // first seconds of a fresh station)
            awaitSegments(station.url() + "/hls/" + Stations.CHANNEL + "/live.m3u8", 4);
            Path out = dir.resolve("report.json");
            Process node = new ProcessBuilder(
                            "node",
                            TOOLS.resolve("watch-check.js").toString(),
                            station.watchUrl(Stations.CHANNEL),
                            String.valueOf(SECONDS))
                    .redirectOutput(out.toFile())
                    .redirectError(dir.resolve("node.err").toFile())
                    .start();
            if (!node.waitFor(SECONDS + 60, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor();
                throw new AssertionError("the browser run did not finish");
            }
            report = new ObjectMapper().readTree(Files.readString(out));
            Files.copy(
                    out, Path.of("target", "browser-playback.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(report.has("fatal")).as(report.path("fatal").asText()).isFalse();
        assertThat(report.get("canPlayH264").asBoolean())
                .as("this Chromium plays H.264/AAC in MSE")
                .isTrue();

        List<JsonNode> samples = new ArrayList<>();
        report.get("samples").forEach(samples::add);
        double firstPlay = samples.stream()
                .filter(s -> s.get("currentTime").asDouble() > 0)
                .mapToDouble(s -> s.get("t").asDouble())
                .findFirst()
                .orElseThrow(() -> new AssertionError("never played: " + report));
        assertThat(firstPlay - samples.get(0).get("t").asDouble())
                .as("start-up ms")
                .isLessThan(STARTUP_MS);

        // after start-up, every sample's currentTime is ahead of the previous one
        double previous = -1;
        double startTime = -1;
        for (JsonNode s : samples) {
            if (s.get("t").asDouble() < firstPlay) {
                continue;
            }
            double now = s.get("currentTime").asDouble();
            assertThat(now).as("currentTime at %.0f ms", s.get("t").asDouble()).isGreaterThan(previous);
            assertThat(s.get("error").isNull()).isTrue();
            previous = now;
            startTime = startTime < 0 ? now : startTime;
        }
        assertThat(previous - startTime).as("seconds played").isGreaterThan(SECONDS - 15);

        for (JsonNode e : report.get("events")) {
            String name = e.get("name").asText();
            assertThat(name).as("media error: " + e).isNotEqualTo("error");
            if (e.get("t").asDouble() > firstPlay + 1000) {
                assertThat(name).as("after start-up: " + e).isNotIn("waiting", "stalled");
            }
        }
        // clips are 64 frames (2.67 s): each join changes the caption
        List<String> prompts = new ArrayList<>();
        report.get("captions").forEach(c -> prompts.add(c.get("prompt").asText()));
        assertThat(prompts.stream().filter(p -> p.startsWith("prompt number")).count())
                .as("caption changes " + prompts)
                .isGreaterThanOrEqualTo(11);
    }

    private static void awaitSegments(String playlist, int count) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int listed = 0;
        while (System.nanoTime() < deadline) {
            java.net.http.HttpResponse<String> answer = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(playlist))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            listed = answer.statusCode() == 200
                    ? (int) answer.body()
                            .lines()
                            .filter(l -> l.startsWith("#EXTINF"))
                            .count()
                    : 0;
            if (listed >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the playlist listed " + listed + " segments after 60 s, not " + count);
    }
}
