package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * The console in headless Chromium (Debian's, driven by playwright-core from tools/), on a real
 * station with the embedded engines: an operator logs in, makes a channel that airs, changes its
 * theme and deletes it; and an XSS corpus in a channel's title and theme shows as text on every
 * page, running nothing.
 */
@SlowTest
class ConsoleBrowserTest {
    /** Things people paste to make a page run their script. */
    static final List<String> XSS = List.of(
            "<script>window.__pwned='script'</script>",
            "\"><img src=x onerror=\"window.__pwned='img'\">",
            "'><svg onload=alert(3)>",
            "javascript:alert(4)",
            "</title><script>alert(5)</script>",
            "<iframe src=\"javascript:alert(6)\"></iframe>",
            "{{7*7}} ${7*7} <b onclick=alert(8)>bold</b>");

    @TempDir
    Path dir;

    private JsonNode run(String... args) throws Exception {
        return Chromium.run(dir, "console-check.js", "console", 420, args);
    }

    @Test
    void anOperatorMakesAChannelThatAirsChangesItsThemeAndDeletesIt() throws Exception {
        // one job at a time: the new channel's first clip is made as soon as the machine can
        LatentConfig config =
                Stations.load(Stations.config(dir, "pipeline: {maxConcurrentJobs: 1}\n"), ConsoleAccessTest.ENV);
        Stations.fillLibrary(config, 10); // the tv channel has fresh clips: the CPU goes to the new channel
        try (Station station =
                Station.start(config, new Station.Options(0, true, ConsoleAccessTest.ENV, Duration.ofSeconds(1)))) {
            station.console().pause(Stations.CHANNEL, true, "test");
            JsonNode report = run("studio", station.url(), ConsoleClient.PASSWORD);

            assertThat(report.get("loggedIn").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("afterCreate").asText()).contains("/admin");
            assertThat(report.get("createdNotice").asText()).contains("studio is on air");
            assertThat(report.get("onHome").asBoolean()).isTrue();
            assertThat(report.get("airingAfterSeconds").isNull())
                    .as("a clip of the new channel airs: " + report)
                    .isFalse();
            // how soon it airs depends on the machine: measured, written to target/console-studio.json, not asserted
            System.out.println(
                    "a clip of the new channel aired " + report.get("airingAfterSeconds") + " s after create");

            List<String> prompts = new ArrayList<>();
            report.get("jobsAfterEdit").forEach(p -> prompts.add(p.asText()));
            assertThat(prompts).as("shots asked after the theme changed").isNotEmpty();
            assertThat(prompts).allSatisfy(p -> assertThat(p).containsAnyOf("fox", "river"));
            assertThat(prompts).noneSatisfy(p -> assertThat(p).contains("lighthouse"));
            assertThat(report.get("jobsPageRows").asInt()).isPositive();

            assertThat(report.get("confirms").toString()).contains("Delete this channel?");
            assertThat(report.get("cardGone").asBoolean()).isTrue();
            assertThat(report.get("afterDelete").asInt()).isEqualTo(404);
            assertThat(report.get("onHomeAfterDelete").asBoolean()).isFalse();
            assertThat(station.channels()).extracting(c -> c.id()).containsExactly(Stations.CHANNEL);
            assertThat(report.get("cspViolations")).as("CSP violations").isEmpty();
            assertThat(station.audit().page(java.util.OptionalLong.empty(), 50).entries())
                    .extracting(e -> e.action())
                    .contains("login", "channel.create", "channel.update", "channel.delete");
        }
    }

    @Test
    void anXssCorpusInATitleAndThemeShowsAsTextAndRunsNowhere() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), ConsoleAccessTest.ENV);
        Stations.fillLibrary(config, 3);
        try (Station station =
                Station.start(config, new Station.Options(0, false, ConsoleAccessTest.ENV, Duration.ofSeconds(1)))) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("id", "xss");
            settings.put("title", String.join(" ", XSS.subList(0, 4)));
            settings.put("theme", String.join(" ", XSS.subList(3, XSS.size())));
            settings.put("lookaheadSeconds", 10);
            assertThat(station.console().create(settings, "test")).isEmpty();

            JsonNode report = run("xss", station.url(), ConsoleClient.PASSWORD, "xss");

            assertThat(report.get("dialogs")).as("dialogs opened").isEmpty();
            assertThat(report.get("cspViolations")).as("CSP violations").isEmpty();
            assertThat(report.get("pages")).hasSizeGreaterThanOrEqualTo(6);
            for (JsonNode page : report.get("pages")) {
                String path = page.get("path").asText();
                assertThat(page.get("injected"))
                        .as("injected elements on %s", path)
                        .isEmpty();
                assertThat(page.get("pwned").isNull())
                        .as("script ran on %s", path)
                        .isTrue();
            }
            // shown as text where a title or theme is shown
            String home = text(report, "/");
            assertThat(home).contains(XSS.get(0), XSS.get(1));
            assertThat(text(report, "/admin")).contains(XSS.get(0), XSS.get(5));
        }
    }

    /** The text of the page at {@code path} in a report's {@code pages}. */
    static String text(JsonNode report, String path) {
        for (JsonNode page : report.get("pages")) {
            if (page.get("path").asText().equals(path)) {
                return page.get("text").asText();
            }
        }
        throw new AssertionError("no page " + path);
    }
}
