package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * The web origin against a real station on loopback: a library of real clips, real playout,
 * real Jetty. One station serves the whole class (each costs seconds of ffmpeg); no test
 * changes its state.
 */
@SlowTest
class WebServerTest {
    private static final String SECRET_KEY = "sk_live_DO-NOT-LEAK-7f3a9c";
    private static final String SECRET_FILE_TEXT = "TOP-SECRET-FILE-CONTENTS-91b2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static Station station;
    static String base;

    @BeforeAll
    static void startStation() throws Exception {
        // a file outside the data directory that no URL may ever return
        Files.writeString(dir.resolve("secret.txt"), SECRET_FILE_TEXT);
        UnaryOperator<String> env = name -> name.equals("FAKE_STREAM_KEY") ? SECRET_KEY : null;
        Path file = Stations.config(
                dir,
                """
            push:
              - {name: relay, url: "rtmp://127.0.0.1:9/live", keyEnv: FAKE_STREAM_KEY}
        """);
        LatentConfig config = Stations.load(file, env);
        Stations.fillLibrary(config, 6);
        station = Stations.airing(config, env);
        base = station.url();
    }

    @AfterAll
    static void stop() {
        if (station != null) {
            station.close();
        }
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void unknownChannelAnswers404WithJsonBody() throws Exception {
        for (String path : List.of(
                "/watch/nope",
                "/hls/nope/live.m3u8",
                "/hls/nope/1.ts",
                "/api/channels/nope",
                "/api/channels/nope/events",
                "/api/clips?channel=nope",
                "/api/jobs?channel=nope",
                "/no/such/route")) {
            HttpResponse<byte[]> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                    .as(path)
                    .startsWith("application/json");
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("status").asInt()).as(path).isEqualTo(404);
            assertThat(body.get("error").asText()).as(path).isNotBlank();
        }
    }

    @Test
    void servesLivePlaylistAndSegmentsWithTheirTypes() throws Exception {
        HttpResponse<byte[]> playlist = get("/hls/tv/live.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/vnd.apple.mpegurl");
        assertThat(playlist.headers().firstValue("Cache-Control")).isPresent();
        String text = new String(playlist.body(), StandardCharsets.UTF_8);
        String segment =
                text.lines().filter(l -> l.endsWith(".ts")).reduce((a, b) -> b).orElseThrow();
        HttpResponse<byte[]> ts = get("/hls/tv/" + segment);
        assertThat(ts.statusCode()).isEqualTo(200);
        assertThat(ts.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(ts.body()[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
    }

    @Test
    void traversalAndOddNamesNeverReachFilesOutsideTheChannel() throws Exception {
        String secretPath = dir.resolve("secret.txt").toAbsolutePath().toString();
        List<String> names = new ArrayList<>(List.of(
                "..",
                "../../secret.txt",
                "..%2f..%2fsecret.txt",
                "%2e%2e/%2e%2e/secret.txt",
                "%2e%2e%2f%2e%2e%2fsecret.txt",
                "..%5c..%5csecret.txt",
                "%2F" + secretPath.substring(1).replace("/", "%2F"),
                secretPath,
                "1.ts%00.m3u8",
                "1%00",
                "%ff%fe.ts",
                "live.m3u8%00",
                "..;/..;/secret.txt",
                "%252e%252e%252fsecret.txt",
                "a".repeat(5000) + ".ts",
                "9".repeat(40) + ".ts",
                "-1.ts",
                "1.TS",
                " 1.ts"));
        List<String> prefixes = List.of("/hls/tv/", "/hls/", "/thumbs/", "/assets/", "/watch/", "/api/channels/");
        Set<Integer> statuses = new HashSet<>();
        for (String prefix : prefixes) {
            for (String name : names) {
                byte[] target = (prefix + name).getBytes(StandardCharsets.ISO_8859_1);
                RawHttp.Answer answer = RawHttp.get(base, target);
                statuses.add(answer.status());
                assertThat(answer.status()).as(prefix + name).isNotEqualTo(500).isNotEqualTo(200);
                assertThat(answer.text())
                        .as(prefix + name)
                        .doesNotContain(SECRET_FILE_TEXT)
                        .doesNotContain("root:x:0");
            }
        }
        // raw bytes that are not valid in a request target at all
        for (byte[] odd : List.of(
                new byte[] {'/', 'h', 'l', 's', '/', 't', 'v', '/', 0x00, '.', 't', 's'},
                new byte[] {'/', 't', 'h', 'u', 'm', 'b', 's', '/', (byte) 0xc0, (byte) 0xaf, '.', 'j', 'p', 'g'},
                new byte[] {'/', 'h', 'l', 's', '/', 't', 'v', '/', 0x7f, '.', 't', 's'})) {
            RawHttp.Answer answer = RawHttp.get(base, odd);
            assertThat(answer.status()).isBetween(400, 499);
            assertThat(answer.text()).doesNotContain(SECRET_FILE_TEXT);
        }
        assertThat(statuses).allMatch(s -> s >= 400 && s < 500);
    }

    @Test
    void thumbnailsResolveOnlyThroughTheLibrary() throws Exception {
        HttpResponse<byte[]> known = get("/thumbs/clip-000.jpg");
        assertThat(known.statusCode()).isEqualTo(200);
        assertThat(known.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(get("/thumbs/clip-999.jpg").statusCode()).isEqualTo(404);
        assertThat(get("/thumbs/clip-000.png").statusCode()).isEqualTo(404);
    }

    @Test
    void pagesAndApiNeverShowSecretsOrPushTargets() throws Exception {
        for (String path : List.of(
                "/",
                "/watch/tv",
                "/api/channels",
                "/api/channels/tv",
                "/api/clips",
                "/api/clips?channel=tv",
                "/api/jobs",
                "/api/jobs?channel=tv",
                "/assets/watch.js")) {
            HttpResponse<byte[]> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            assertThat(text)
                    .as(path)
                    .doesNotContain(SECRET_KEY)
                    .doesNotContain("FAKE_STREAM_KEY")
                    .doesNotContain("rtmp://")
                    .doesNotContain(dir.toString());
        }
    }

    @Test
    void watchPagePlaysWithHlsJsFromTheAppAndMarksProceduralClips() throws Exception {
        String page = new String(get("/watch/tv").body(), StandardCharsets.UTF_8);
        assertThat(page)
                .contains(
                        "<video",
                        "/assets/hls.min.js",
                        "/assets/watch.js",
                        "procedural renderer, not AI",
                        "name=\"viewport\"")
                .doesNotContain("http://", "https://");
        assertThat(get("/assets/hls.min.js").statusCode()).isEqualTo(200);
        JsonNode clips = JSON.readTree(get("/api/clips?channel=tv").body());
        assertThat(clips).hasSize(6);
        assertThat(clips.findValues("procedural").stream().map(JsonNode::asBoolean))
                .contains(true, false);
    }

    @Test
    void eventsStreamPushesNowPlayingWhenTheClipChanges() throws Exception {
        HttpResponse<java.io.InputStream> stream = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/channels/tv/events"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> starts = new ArrayList<>();
        Set<String> prompts = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String event = null;
            for (String line; System.nanoTime() < deadline && (line = reader.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && "now-playing".equals(event)) {
                    JsonNode status = JSON.readTree(line.substring(5).strip());
                    JsonNode now = status.get("nowPlaying");
                    starts.add(now.get("start").asText());
                    prompts.add(now.get("prompt").asText());
                    if (new HashSet<>(starts).size() >= 3) {
                        break;
                    }
                }
            }
        }
        // the first event is what plays on joining; the others came when the airing changed (64-frame clips: every 2.7
        // s)
        assertThat(new HashSet<>(starts)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(prompts).hasSizeGreaterThanOrEqualTo(2);
    }
}
