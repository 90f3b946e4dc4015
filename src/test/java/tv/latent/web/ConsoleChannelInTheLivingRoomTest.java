package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.auth.Auth;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.testing.XmltvValidator;

/**
 * A channel an operator makes in the console, with a number and a programme schedule, is in the
 * media centers' playlist, guide and tuner lineup at once, keeps its number, and its schedule
 * reads back into the form; a schedule the YAML loader would refuse is refused with its words,
 * and so is a number another channel has.
 */
@SlowTest
class ConsoleChannelInTheLivingRoomTest {
    @TempDir
    Path dir;

    private static Map<String, String> harbour() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("id", "harbour");
        form.put("title", "Harbour TV");
        form.put("theme", "a quiet harbour at night");
        form.put("lookaheadSeconds", "10");
        form.put("format.width", "256");
        form.put("format.height", "144");
        form.put("number", "12");
        form.put("schedule.timeZone", "Europe/Paris");
        form.put("schedule.slots.0.title", "Harbour Dawn");
        form.put("schedule.slots.0.start", "06:00");
        form.put("schedule.slots.0.end", "09:00");
        form.put("schedule.slots.0.days", "mon, wed, fri");
        form.put("schedule.slots.0.theme", "fishing boats at sunrise");
        form.put("schedule.slots.1.title", "Night Lights");
        form.put("schedule.slots.1.start", "22:00");
        form.put("schedule.slots.1.end", "02:00");
        form.put("schedule.slots.1.theme", "lighthouse beams in the fog");
        form.put("schedule.slots.1.category", "Documentary");
        return form;
    }

    @Test
    void aChannelMadeInTheConsoleIsInThePlaylistGuideAndLineupWithItsSchedule() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, "iptv: {tunerCount: 2}\n"), ConsoleAccessTest.ENV);
        try (Station station =
                Station.start(config, new Station.Options(0, false, ConsoleAccessTest.ENV, Duration.ofSeconds(1)))) {
            ConsoleClient operator = new ConsoleClient(station.url());
            operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
            String before = operator.page("/iptv/channels.m3u").body();
            assertThat(before).contains("tvg-id=\"tv.latenttv\"").doesNotContain("harbour");

            // a schedule whose slots overlap is refused with the YAML loader's words, and nothing starts
            operator.page("/admin/channels/new");
            Map<String, String> overlapping = harbour();
            overlapping.put("schedule.slots.1.start", "08:00");
            overlapping.put("schedule.slots.1.end", "10:00");
            HttpResponse<String> refused = operator.post("/admin/channels", overlapping);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("schedule.slots[1]: overlaps slots[0]");
            assertThat(operator.page("/lineup.json").body()).doesNotContain("harbour");

            operator.page("/admin/channels/new");
            assertThat(operator.post("/admin/channels", harbour()).statusCode()).isEqualTo(303);
            operator.page("/admin/channels/new");
            Map<String, String> plain = new LinkedHashMap<>();
            plain.put("id", "plain");
            plain.put("theme", "clouds over a field");
            plain.put("lookaheadSeconds", "10");
            plain.put("format.width", "256");
            plain.put("format.height", "144");
            assertThat(operator.post("/admin/channels", plain).statusCode()).isEqualTo(303);

            // a number another channel has is refused, made or changed, as the YAML loader refuses it
            operator.page("/admin/channels/new");
            Map<String, String> copycat = new LinkedHashMap<>(plain);
            copycat.put("id", "copycat");
            copycat.put("number", "12");
            HttpResponse<String> clash = operator.post("/admin/channels", copycat);
            assertThat(clash.statusCode()).isEqualTo(422);
            assertThat(clash.body()).contains("number: 12 is channel 'harbour''s number already");
            Map<String, String> plainAsTwelve = new LinkedHashMap<>(plain);
            plainAsTwelve.remove("id");
            plainAsTwelve.put("number", "12");
            assertThat(operator.post("/admin/channels/plain", plainAsTwelve).statusCode())
                    .isEqualTo(422);
            assertThat(operator.page("/lineup.json").body()).doesNotContain("copycat");

            String m3u = operator.page("/iptv/channels.m3u").body();
            assertThat(m3u)
                    .contains("tvg-id=\"harbour.latenttv\" tvg-chno=\"12\" tvg-name=\"Harbour TV\"")
                    .contains(station.url() + "/iptv/channel/harbour.ts")
                    .contains("tvg-id=\"plain.latenttv\" tvg-chno=\"2\"");
            String lineup = operator.page("/lineup.json").body();
            assertThat(lineup).contains("\"GuideNumber\":\"12\"", "\"GuideName\":\"Harbour TV\"");

            String guide = operator.page("/iptv/xmltv.xml").body();
            Path served = dir.resolve("guide.xml");
            Files.writeString(served, guide);
            XmltvValidator.Verdict verdict = XmltvValidator.validate(served);
            assertThat(verdict.valid()).as(verdict.output()).isTrue();
            assertThat(guide)
                    .contains("<channel id=\"harbour.latenttv\"><display-name>12 Harbour TV</display-name>")
                    .contains("<title>Night Lights</title>", "<title>Harbour Dawn</title>")
                    .contains("Documentary</category>");

            // the form reads the schedule back as it was given
            String form = operator.page("/admin/channels/harbour").body();
            assertThat(form)
                    .contains("name=\"schedule.timeZone\" value=\"Europe/Paris\"")
                    .contains("name=\"schedule.slots.0.days\" value=\"mon, wed, fri\"")
                    .contains("name=\"schedule.slots.1.title\" value=\"Night Lights\"")
                    .contains("name=\"number\" inputmode=\"numeric\" value=\"12\"");

            // the channel changed in the console: the guide follows at once, the number stays
            Map<String, String> changed = harbour();
            changed.remove("id");
            changed.put("schedule.slots.1.title", "Lighthouse Hour");
            changed.remove("number");
            assertThat(operator.post("/admin/channels/harbour", changed).statusCode())
                    .isEqualTo(303);
            String after = operator.send(HttpRequest.newBuilder(URI.create(station.url() + "/iptv/xmltv.xml")))
                    .body();
            assertThat(after).contains("<title>Lighthouse Hour</title>").doesNotContain("Night Lights");
        }
    }
}
