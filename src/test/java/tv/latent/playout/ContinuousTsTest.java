package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * The M3U entry's continuous MPEG-TS, read by ffprobe for a minute across more than twenty clip
 * joins: no error, timestamps strictly increasing and gapless, the same A/V offset at every join.
 * Meanwhile a reader that stops reading is dropped, and HLS carries on.
 */
@SlowTest
class ContinuousTsTest {
    private static final long FRAME = 3750;
    private static final long AAC_FRAME = 1920;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static String get(String url) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url).isEqualTo(200);
        return answer.body();
    }

    private static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static double metric(String base, String name) throws Exception {
        for (String line : get(base + "/metrics").split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void ffprobeReadsAMinuteOfTheChannelAcrossJoinsWhileASlowReaderIsDroppedAndHlsCarriesOn() throws Exception {
        Path file = Stations.config(dir, "iptv: {tunerCount: 3, clientBufferSeconds: 2}\n");
        LatentConfig config = Stations.load(file, k -> null);
        Stations.fillLibrary(config, 24);
        try (Station station = Stations.airing(config, k -> null)) {
            String base = station.url();
            String m3u = get(base + "/iptv/channels.m3u");
            String url =
                    m3u.lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow();
            String hlsBefore = get(base + "/hls/tv/live.m3u8");

            // a reader that asks for the stream and then reads nothing more, with a tiny receive window
            Socket slow = new Socket();
            slow.setReceiveBufferSize(2048);
            URI target = URI.create(url);
            slow.connect(new InetSocketAddress(target.getHost(), target.getPort()));
            OutputStream request = slow.getOutputStream();
            request.write(("GET " + target.getPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();

            Path errors = dir.resolve("ffprobe-errors.txt");
            Process ffprobe = new ProcessBuilder(
                            "ffprobe",
                            "-v",
                            "error",
                            "-show_entries",
                            "packet=codec_type,pts,dts",
                            "-of",
                            "csv=p=0",
                            "-read_intervals",
                            "%+60",
                            url)
                    .redirectError(errors.toFile())
                    .start();
            ffprobe.getOutputStream().close();
            byte[][] listed = new byte[1][];
            Thread collector = Thread.ofVirtual().start(() -> {
                try {
                    listed[0] = ffprobe.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    listed[0] = new byte[0];
                }
            });

            // the slow reader is dropped while ffprobe reads on
            long deadline = System.nanoTime() + Duration.ofSeconds(50).toNanos();
            while (metric(base, "latenttv_ts_dropped_total") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(metric(base, "latenttv_ts_dropped_total"))
                    .as("slow readers dropped")
                    .isEqualTo(1);
            assertThat(ffprobe.isAlive()).as("ffprobe still reading").isTrue();
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            long drained = 0;
            try {
                for (int n; (n = in.read(new byte[65536])) >= 0; ) {
                    drained += n;
                }
            } catch (java.net.SocketException e) {
                // reset by the server: dropped
            }
            slow.close();
            assertThat(drained)
                    .as("what the slow reader got before its connection ended")
                    .isPositive();

            assertThat(ffprobe.waitFor(3, TimeUnit.MINUTES)).isTrue();
            collector.join();
            String hlsAfter = get(base + "/hls/tv/live.m3u8");
            assertThat(mediaSequence(hlsAfter)).isGreaterThan(mediaSequence(hlsBefore) + 20);
            String lastSegment = hlsAfter.lines()
                    .filter(l -> l.endsWith(".ts"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/hls/tv/" + lastSegment))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);

            assertThat(Files.readString(errors)).as("ffprobe's errors").isEmpty();
            Packets packets = Packets.parse(new String(listed[0], StandardCharsets.UTF_8), 0);
            packets.assertStrictlyIncreasing().assertAudioGapless(AAC_FRAME).assertVideoGapless(FRAME);
            long span = packets.video().getLast()[0] - packets.video().getFirst()[0];
            assertThat(span).as("a minute read").isGreaterThanOrEqualTo(59L * 90_000);

            long epochMs = Timeline.epoch(station.jobs().database(), "tv").orElseThrow();
            Instant epoch = Instant.ofEpochMilli(epochMs);
            List<Long> joins = new ArrayList<>();
            for (Aired a : Playout.aired(
                    station.jobs().database(), "tv", 24, Instant.now().minusSeconds(300), Instant.now())) {
                long pts = ChannelPlayout.BASE_PTS
                        + Math.round(Duration.between(epoch, a.start()).toNanos() * 9 / 100_000.0);
                if (packets.covers(pts) && pts > packets.video().getFirst()[0]) {
                    joins.add(pts);
                }
            }
            assertThat(joins).as("clip joins read").hasSizeGreaterThanOrEqualTo(20);
            long offset = packets.offsetAtJoin(joins.getFirst());
            for (long join : joins) {
                assertThat(packets.offsetAtJoin(join))
                        .as("A/V offset at the join at %d", join)
                        .isEqualTo(offset);
            }
        }
    }
}
