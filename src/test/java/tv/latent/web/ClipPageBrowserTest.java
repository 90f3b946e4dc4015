package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.media.Captions;
import tv.latent.media.ClipExports;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * A viewer opens a shared clip link in headless Chromium: the clip plays, the page shows its
 * prompt and provenance, the share tags are present and escaped, a narrated clip's captions show
 * in the player, the GIF and WebP exports download and are what was promised (checked by ffprobe
 * and by their own container), the MP4 download carries the captions as a track, and the watch
 * page links to the clip on air.
 */
@SlowTest
class ClipPageBrowserTest {
    private static final Path TOOLS = Path.of("tools").toAbsolutePath();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TRICKY_TITLE = "Fox \"at\" <dusk> & 'co'";
    private static final String NARRATION = "The fox <b>sleeps</b> & dreams of {mice}.";

    @TempDir
    Path dir;

    private JsonNode browse(String base, String clipId) throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("apt-get install chromium").exists();
        assertThat(TOOLS.resolve("node_modules/playwright-core"))
                .as("cd tools && npm ci")
                .exists();
        Path out = dir.resolve("report.json");
        Process node = new ProcessBuilder(
                        "node", TOOLS.resolve("clip-check.js").toString(), base, clipId, dir.toString())
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("node.err").toFile())
                .start();
        if (!node.waitFor(420, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor();
            throw new AssertionError("the browser run did not finish");
        }
        JsonNode report = new ObjectMapper().readTree(Files.readString(out));
        Files.copy(out, Path.of("target", "clip-page.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(report.has("fatal")).as(report.path("fatal").asText()).isFalse();
        return report;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What ffprobe says of an export: codec, size, frames decoded, duration. */
    private static JsonNode probe(Path file) throws Exception {
        Process p = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-show_entries",
                        "stream=codec_name,width,height,nb_read_frames:format=format_name,duration",
                        "-of",
                        "json",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ObjectMapper().readTree(text.substring(text.indexOf('{')));
    }

    /** An animated WebP's canvas and frames, read from its RIFF chunks (ffprobe 5.1 cannot decode animation). */
    record WebpAnimation(int width, int height, int frames, int millis) {}

    static WebpAnimation webp(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(bytes, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        int width = 0;
        int height = 0;
        int frames = 0;
        int millis = 0;
        int at = 12;
        while (at + 8 <= bytes.length) {
            String fourcc = new String(bytes, at, 4, StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            int data = at + 8;
            if (fourcc.equals("VP8X")) {
                width = 1 + u24(bytes, data + 4);
                height = 1 + u24(bytes, data + 7);
            } else if (fourcc.equals("ANMF")) {
                frames++;
                millis += u24(bytes, data + 12);
            }
            at = data + size + (size & 1);
        }
        return new WebpAnimation(width, height, frames, millis);
    }

    private static int u24(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16;
    }

    @Test
    void aSharedClipLinkPlaysShowsItsProvenanceAndExportsAGifAndAWebp() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), k -> null);
        Stations.fillLibrary(config, 4);
        try (Station opened = Station.open(config)) {
            opened.jobs().database().write(c -> {
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE clips SET title = ?, negative_prompt = ? WHERE id = 'clip-001'")) {
                    s.setString(1, TRICKY_TITLE);
                    s.setString(2, "blurry, <watermark>");
                    s.executeUpdate();
                }
                return null;
            });
            // clip-001 is narrated: its captions lie beside its master, as the master stage writes them
            Path master = opened.library().find("clip-001").orElseThrow().master();
            Files.writeString(
                    master.resolveSibling(Captions.FILE),
                    Captions.webVtt(List.of(new Captions.Cue(0.3, 2.2, NARRATION))));
        }
        try (Station station = Stations.airing(config, k -> null)) {
            String base = station.url();

            // the share tags, as a link-preview fetcher reads the raw page: present and escaped
            String html = get(base + "/clips/clip-001").body();
            assertThat(html)
                    .contains("<meta property=\"og:title\" content=\"Fox &#34;at&#34; &lt;dusk> &amp; &#39;co&#39;\">")
                    .contains("<meta property=\"og:image\" content=\"" + base + "/thumbs/clip-001.jpg\">")
                    .contains("<meta property=\"og:video\" content=\"" + base + "/clips/clip-001/video.mp4\">")
                    .contains("<meta name=\"twitter:card\" content=\"summary_large_image\">")
                    .doesNotContain("<dusk>", "<watermark>");
            assertThat(html)
                    .contains(
                            "<track id=\"captions\" kind=\"captions\" label=\"Narration\" src=\"/clips/clip-001/captions.vtt\" default>")
                    .contains("<q>The fox &lt;b&gt;sleeps&lt;/b&gt; &amp; dreams of {mice}.</q>")
                    .contains("href=\"/clips/clip-001/export.mp4\"");
            HttpResponse<String> vtt = get(base + "/clips/clip-001/captions.vtt");
            assertThat(vtt.statusCode()).isEqualTo(200);
            assertThat(vtt.headers().firstValue("Content-Type")).hasValue("text/vtt; charset=utf-8");
            assertThat(Captions.parse(vtt.body())).containsExactly(new Captions.Cue(0.3, 2.2, NARRATION));
            assertThat(get(base + "/clips/clip-000/captions.vtt").statusCode())
                    .as("a clip without narration has no captions")
                    .isEqualTo(404);
            assertThat(get(base + "/clips/clip-000").body())
                    .doesNotContain("<track", "export.mp4")
                    .contains("href=\"/clips/clip-000/video.mp4\" download=\"clip-000.mp4\"")
                    .contains("procedural renderer, not AI")
                    .contains("content=\"Procedural renderer, not AI. prompt number 0");
            for (String missing : List.of("/clips/nonesuch", "/clips/..%2F..%2Fetc", "/clips/nonesuch/export.gif")) {
                HttpResponse<String> answer = get(base + missing);
                assertThat(answer.statusCode()).as(missing).isEqualTo(404);
                assertThat(answer.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            }

            JsonNode report = browse(base, "clip-001");
            assertThat(report.path("status").asInt()).isEqualTo(200);
            assertThat(report.path("consoleErrors")).isEmpty();
            assertThat(report.path("video").path("currentTime").asDouble())
                    .as("the clip plays: %s", report.path("video"))
                    .isGreaterThan(0.5);
            assertThat(report.path("video").path("videoWidth").asInt()).isEqualTo(256);
            assertThat(report.path("title").asText()).isEqualTo(TRICKY_TITLE);
            assertThat(report.path("meta").path("og:title").asText()).isEqualTo(TRICKY_TITLE);
            assertThat(report.path("meta").path("twitter:image").asText()).isEqualTo(base + "/thumbs/clip-001.jpg");
            assertThat(report.path("meta").path("og:description").asText()).isEqualTo("prompt number 1: a fox at dusk");
            assertThat(report.path("prompt").asText()).isEqualTo("prompt number 1: a fox at dusk");
            assertThat(report.path("seed").asText()).isEqualTo("1");
            assertThat(report.path("channel").asText()).isEqualTo("Test Channel");
            assertThat(report.path("stages").get(0).asText()).contains("render", "zeroscope");
            assertThat(report.path("badge").asInt()).isZero();
            assertThat(report.path("narration").asText()).isEqualTo(NARRATION + " ");
            assertThat(report.path("track").path("mode").asText())
                    .as("the player shows the narration's captions: %s", report.path("track"))
                    .isEqualTo("showing");
            JsonNode cue = report.path("track").path("cues").get(0);
            assertThat(cue.path("text").asText()).isEqualTo(NARRATION);
            assertThat(cue.path("elements").asInt())
                    .as("the line's tags are shown as text")
                    .isZero();

            // the GIF: a palette GIF at the clip's width (never wider than 480), every frame of its 2.7 s at 10 fps
            JsonNode gifReport = report.path("exports").path("gif");
            assertThat(gifReport.path("suggested").asText()).isEqualTo("clip-001.gif");
            assertThat(gifReport.path("decoded").path("width").asInt()).isEqualTo(256);
            Path gif = Path.of(gifReport.path("file").asText());
            JsonNode gifProbe = probe(gif);
            JsonNode gifStream = gifProbe.path("streams").get(0);
            assertThat(gifStream.path("codec_name").asText()).isEqualTo("gif");
            assertThat(gifStream.path("width").asInt()).isEqualTo(256).isLessThanOrEqualTo(ClipExports.MAX_WIDTH);
            assertThat(gifStream.path("height").asInt()).isEqualTo(144);
            assertThat(gifStream.path("nb_read_frames").asInt()).isBetween(25, 28);
            assertThat(gifProbe.path("format").path("duration").asDouble()).isBetween(2.5, ClipExports.MAX_SECONDS);
            assertThat(Files.size(gif)).isLessThan(8L << 20);

            // the WebP: animated, the same size, 12 fps over the clip's length
            JsonNode webpReport = report.path("exports").path("webp");
            assertThat(webpReport.path("suggested").asText()).isEqualTo("clip-001.webp");
            assertThat(webpReport.path("decoded").path("width").asInt()).isEqualTo(256);
            Path webpFile = Path.of(webpReport.path("file").asText());
            assertThat(probe(webpFile).path("streams").get(0).path("codec_name").asText())
                    .isEqualTo("webp");
            WebpAnimation animation = webp(Files.readAllBytes(webpFile));
            assertThat(animation.width()).isEqualTo(256);
            assertThat(animation.height()).isEqualTo(144);
            assertThat(animation.frames()).isBetween(30, 34);
            assertThat(animation.millis()).isBetween(2500, (int) (ClipExports.MAX_SECONDS * 1000));
            assertThat(Files.size(webpFile)).isLessThan(8L << 20);

            // kept under the data directory, served again without being made again
            List<String> kept = new ArrayList<>();
            try (var files = Files.list(config.dataDir().resolve("exports"))) {
                files.forEach(f -> kept.add(f.getFileName().toString()));
            }
            // the MP4 download: the master with the narration as a subtitle track
            assertThat(report.path("mp4").path("suggested").asText()).isEqualTo("clip-001.mp4");
            JsonNode mp4Probe = probe(Path.of(report.path("mp4").path("file").asText()));
            List<String> codecs = new ArrayList<>();
            mp4Probe.path("streams")
                    .forEach(stream -> codecs.add(stream.path("codec_name").asText()));
            assertThat(codecs).containsExactly("h264", "aac", "mov_text");

            assertThat(kept).containsExactlyInAnyOrder("clip-001.gif", "clip-001.webp", "clip-001.mp4");
            long runs = station.ffmpeg().runs();
            HttpResponse<byte[]> again = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/clips/clip-001/export.gif"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("Content-Type")).hasValue("image/gif");
            assertThat(again.body()).isEqualTo(Files.readAllBytes(gif));
            assertThat(station.ffmpeg().runs()).isEqualTo(runs);

            // the watch page's now-playing links to the clip on air, and the link opens its page
            assertThat(report.path("watchClipLink").asText()).matches("/clips/clip-00[0-3]");
            assertThat(report.path("afterClipLink").asText())
                    .isEqualTo(base + report.path("watchClipLink").asText());
        }
    }
}
