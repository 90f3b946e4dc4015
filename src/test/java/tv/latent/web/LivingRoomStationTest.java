package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.cli.Main;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.testing.XmltvValidator;

/**
 * A media center adds the station's emulated HDHomeRun tuner, as Plex and Jellyfin do it:
 * discover, lineup status, lineup, then the stream URL, read as MPEG-TS; with every tuner busy the
 * next stream is refused; the playlist and the guide point at the same channel; and the tuner and
 * its channel numbers are the same after a restart.
 */
@SlowTest
class LivingRoomStationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int[] CHECK = {0xA, 0x5, 0xF, 0x6, 0x7, 0xC, 0x1, 0xB, 0x9, 0x2, 0x8, 0xD, 0x4, 0x3, 0xE, 0x0};

    @TempDir
    Path dir;

    private static final String CHANNEL_YAML =
            """
                number: 7
                schedule:
                  timeZone: America/New_York
                  slots:
                    - {title: Fox Hour, start: "06:00", end: "07:00", days: weekdays, theme: a fox in the snow}
            iptv: {tunerCount: 2, deviceName: Den Tuner}
            """;

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String url) throws Exception {
        HttpResponse<String> answer = get(url);
        assertThat(answer.statusCode()).as(url).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(answer.body());
    }

    /** Opens a stream and keeps reading it on a thread of its own until closed. */
    private static final class Tuner implements AutoCloseable {
        final InputStream body;
        final Thread reader;

        Tuner(InputStream body) {
            this.body = body;
            this.reader = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    while (body.read(buffer) >= 0) {
                        // a player reads on
                    }
                } catch (Exception e) {
                    // closed
                }
            });
        }

        @Override
        public void close() throws java.io.IOException {
            body.close();
            try {
                reader.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static HttpResponse<InputStream> open(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static boolean validDeviceId(String id) {
        int value = Integer.parseUnsignedInt(id, 16);
        int sum = 0;
        for (int nibble = 7; nibble >= 0; nibble--) {
            int v = (value >>> (nibble * 4)) & 0xF;
            sum ^= nibble % 2 == 1 ? CHECK[v] : v;
        }
        return sum == 0;
    }

    @Test
    void aMediaCenterAddsTheTunerReadsTheLineupAndTunesInUntilEveryTunerIsBusy() throws Exception {
        Path file = Stations.config(dir, CHANNEL_YAML);
        LatentConfig config = Stations.load(file, k -> null);
        Stations.fillLibrary(config, 6);
        String deviceId;
        try (Station station = Stations.airing(config, k -> null)) {
            String base = station.url();

            // 1. discover: exactly the keys the clients read
            JsonNode discover = json(base + "/discover.json");
            List<String> keys = new ArrayList<>();
            discover.fieldNames().forEachRemaining(keys::add);
            assertThat(keys)
                    .containsExactly(
                            "FriendlyName",
                            "Manufacturer",
                            "ModelNumber",
                            "FirmwareName",
                            "FirmwareVersion",
                            "DeviceID",
                            "DeviceAuth",
                            "BaseURL",
                            "LineupURL",
                            "TunerCount");
            assertThat(discover.get("FriendlyName").asText()).isEqualTo("Den Tuner");
            assertThat(discover.get("Manufacturer").asText()).isEqualTo("Silicondust");
            assertThat(discover.get("TunerCount").asInt()).isEqualTo(2);
            assertThat(discover.get("BaseURL").asText()).isEqualTo(base);
            deviceId = discover.get("DeviceID").asText();
            assertThat(deviceId).matches("[0-9A-F]{8}");
            assertThat(validDeviceId(deviceId))
                    .as("DeviceID %s passes HDHomeRun's check", deviceId)
                    .isTrue();

            // 2. lineup status, 3. lineup
            JsonNode status = json(base + "/lineup_status.json");
            assertThat(status.get("ScanInProgress").asInt()).isZero();
            assertThat(status.get("ScanPossible").asInt()).isEqualTo(1);
            assertThat(status.get("Source").asText()).isEqualTo("Cable");
            assertThat(status.get("SourceList").get(0).asText()).isEqualTo("Cable");
            JsonNode lineup = json(discover.get("LineupURL").asText());
            assertThat(lineup.size()).isEqualTo(1);
            JsonNode entry = lineup.get(0);
            assertThat(entry.get("GuideNumber").asText()).isEqualTo("7");
            assertThat(entry.get("GuideName").asText()).isEqualTo("Test Channel");
            String url = entry.get("URL").asText();
            assertThat(url).isEqualTo(base + "/iptv/channel/tv.ts").doesNotContain("?");
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/lineup.post?scan=start"))
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);

            // 4. tune in: continuous MPEG-TS
            HttpResponse<InputStream> first = open(url);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            byte[] ts = first.body().readNBytes(188 * 400);
            assertThat(ts.length).isEqualTo(188 * 400);
            boolean pat = false;
            for (int i = 0; i < ts.length; i += 188) {
                assertThat(ts[i]).as("sync byte at packet %d", i / 188).isEqualTo((byte) 0x47);
                pat |= (((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF)) == 0;
            }
            assertThat(pat).as("a program association table").isTrue();

            // every tuner busy: the next one is refused, saying so
            Tuner one = new Tuner(first.body());
            Tuner two = new Tuner(open(url).body());
            try {
                HttpResponse<String> third = get(url);
                assertThat(third.statusCode()).isEqualTo(503);
                assertThat(third.body()).contains("all tuners busy");
                assertThat(third.headers().firstValue("Retry-After")).isPresent();
            } finally {
                one.close();
                two.close();
            }

            // the device description, the playlist and the guide name the same tuner and channel
            String device = get(base + "/device.xml").body();
            assertThat(device)
                    .contains("<friendlyName>Den Tuner</friendlyName>", "<serialNumber>" + deviceId + "</serialNumber>")
                    .contains("<UDN>uuid:");
            String m3u = get(base + "/iptv/channels.m3u").body();
            assertThat(m3u)
                    .startsWith("#EXTM3U url-tvg=\"" + base + "/iptv/xmltv.xml\" x-tvg-url=\"" + base
                            + "/iptv/xmltv.xml\"\n")
                    .contains("#EXTINF:0 tvg-id=\"tv.latenttv\" tvg-chno=\"7\" tvg-name=\"Test Channel\" tvg-logo=\""
                            + base + "/thumbs/")
                    .contains("group-title=\"LatentTV\",Test Channel\n" + url + "\n");
            String guide = get(base + "/iptv/xmltv.xml").body();
            Path served = dir.resolve("served.xml");
            Files.writeString(served, guide);
            XmltvValidator.Verdict verdict = XmltvValidator.validate(served);
            assertThat(verdict.valid()).as(verdict.output()).isTrue();
            assertThat(guide).contains("<channel id=\"tv.latenttv\"><display-name>7 Test Channel</display-name>");
            assertThat(guide).contains("<title>Fox Hour</title>");

            // the epg command writes the same guide from the same data, while the station airs
            Path written = dir.resolve("epg.xml");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(
                    new String[] {"epg", "-c", file.toString(), "--out", written.toString(), "--base-url", base},
                    new java.io.PrintStream(out, true),
                    new java.io.PrintStream(err, true));
            assertThat(code).as(err.toString()).isZero();
            XmltvValidator.Verdict cli = XmltvValidator.validate(written);
            assertThat(cli.valid()).as(cli.output()).isTrue();
            assertThat(Files.readString(written))
                    .contains("<channel id=\"tv.latenttv\"><display-name>7 Test Channel</display-name>")
                    .contains("<title>Fox Hour</title>");
        }

        // a restart: the same tuner, the same channel number
        try (Station station = Stations.airing(config, k -> null)) {
            assertThat(json(station.url() + "/discover.json").get("DeviceID").asText())
                    .isEqualTo(deviceId);
            assertThat(json(station.url() + "/lineup.json")
                            .get(0)
                            .get("GuideNumber")
                            .asText())
                    .isEqualTo("7");
        }
    }
}
