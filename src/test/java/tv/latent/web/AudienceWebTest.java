package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.audience.Audience;
import tv.latent.auth.Auth;
import tv.latent.config.LatentConfig;
import tv.latent.config.StudioConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * The audience's routes over HTTP on a real station whose channel reviews prompts: each reply of
 * the suggestion box (waiting for review, refused with its reason, a limit with Retry-After), the
 * public queue and the viewer's own list, the review in the console (approve, reject with a reason,
 * both audited and listed among moderation's decisions), and the studio settings of a console
 * channel (a YAML channel's are read only).
 */
@SlowTest
class AudienceWebTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Station station;

    @BeforeEach
    void start() throws Exception {
        LatentConfig config = Stations.load(
                Stations.config(
                        dir, "    model: {width: 128, height: 72, frames: 24, fps: 8}\n    policy: review-prompts\n"),
                ConsoleAccessTest.ENV);
        Stations.fillLibrary(config, 20); // the lookahead asks for nothing: the CPU stays free
        station = Station.start(config, new Station.Options(0, true, ConsoleAccessTest.ENV, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        station.close();
    }

    private static ConsoleClient aViewerOnTheWatchPage(Station station, String channel) throws Exception {
        ConsoleClient viewer = new ConsoleClient(station.url());
        assertThat(viewer.page("/watch/" + channel).statusCode()).isEqualTo(200);
        return viewer;
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    private JsonNode get(ConsoleClient client, String path) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(station.url() + path)));
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return json(answer);
    }

    @Test
    void everyReplyOfTheSuggestionBoxIsSaidAndOnlyReviewedTextsArePublic() throws Exception {
        ConsoleClient ada = aViewerOnTheWatchPage(station, "tv");
        assertThat(ada.page("/watch/tv").body())
                .contains("action=\"/api/channels/tv/suggestions\"", "A moderator reads each suggestion");

        HttpResponse<String> first =
                ada.post("/api/channels/tv/suggestions", Map.of("text", "a lighthouse made of candy", "name", "Ada"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("accepted").asBoolean()).isTrue();
        assertThat(json(first).get("message").asText()).contains("#1 waits for a moderator's approval");
        assertThat(json(first).get("suggestion").get("state").asText()).isEqualTo("PENDING");
        assertThat(json(first).get("suggestion").has("viewerId")).isFalse();

        HttpResponse<String> again =
                ada.post("/api/channels/tv/suggestions", Map.of("text", "a second idea of mine", "name", "Ada"));
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(again.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(again).get("why").asText()).isEqualTo("VIEWER_TOO_SOON");
        assertThat(json(again).get("message").asText()).startsWith("You can suggest again in");

        ConsoleClient bo = aViewerOnTheWatchPage(station, "tv");
        HttpResponse<String> link =
                bo.post("/api/channels/tv/suggestions", Map.of("text", "see https://example.com now", "name", ""));
        assertThat(link.statusCode()).isEqualTo(422);
        assertThat(json(link).get("message").asText()).isEqualTo("Links are not allowed in suggestions.");
        assertThat(bo.postWithout("/api/channels/tv/suggestions", Map.of("text", "a quiet forest"))
                        .statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        assertThat(bo.post("/api/channels/tv/votes", Map.of("number", "1")).statusCode())
                .as("#1 waits for review, not in the queue")
                .isEqualTo(422);
        assertThat(bo.post("/api/channels/tv/votes", Map.of("number", "one")).statusCode())
                .isEqualTo(400);
        HttpResponse<String> second =
                bo.post("/api/channels/tv/suggestions", Map.of("text", "a snowy owl on a fence", "name", "Bo"));
        assertThat(json(second).get("suggestion").get("number").asInt()).isEqualTo(2);

        JsonNode queue = get(bo, "/api/channels/tv/queue");
        assertThat(queue.get("reviewed").asBoolean()).isTrue();
        assertThat(queue.get("awaitingReview").asInt()).isEqualTo(2);
        assertThat(queue.get("queued")).isEmpty();
        assertThat(queue.toString()).doesNotContain("lighthouse made of candy");
        JsonNode mine = get(ada, "/api/channels/tv/suggestions/mine");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("text").asText()).isEqualTo("a lighthouse made of candy");
        assertThat(get(new ConsoleClient(station.url()), "/api/channels/tv/suggestions/mine"))
                .isEmpty();
        HttpResponse<String> strangerReview = new ConsoleClient(station.url())
                .send(HttpRequest.newBuilder(URI.create(station.url() + "/api/channels/tv/review")));
        assertThat(strangerReview.statusCode()).isEqualTo(401);

        ConsoleClient operator = new ConsoleClient(station.url());
        operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
        assertThat(operator.page("/admin").body()).contains("2 waiting for review");
        JsonNode waiting = get(operator, "/api/channels/tv/review");
        assertThat(waiting).hasSize(2);
        assertThat(operator.page("/admin/studio").body())
                .contains("a lighthouse made of candy", "a snowy owl on a fence", "Waiting for review (2)");
        HttpResponse<String> rejected = operator.post(
                "/admin/studio/tv/review", Map.of("number", "2", "decision", "reject", "reason", "owls are off topic"));
        assertThat(rejected.statusCode()).isEqualTo(303);
        HttpResponse<String> approved =
                operator.post("/admin/studio/tv/review", Map.of("number", "1", "decision", "approve"));
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Location").orElseThrow()).contains("approved");
        assertThat(get(operator, "/api/channels/tv/review")).isEmpty();

        assertThat(station.audit().page(OptionalLong.empty(), 50).entries())
                .anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("suggestion.rejected");
                    assertThat(e.actor()).isEqualTo("admin");
                    assertThat(e.detail()).contains("owls are off topic");
                })
                .anySatisfy(e -> assertThat(e.action()).isEqualTo("suggestion.approved"));
        String studio =
                ConsoleAccessTest.unescaped(operator.page("/admin/studio").body());
        assertThat(studio.substring(studio.indexOf("Moderation's recent decisions")))
                .contains("suggestion.rejected", "owls are off topic", "suggestion.approved");
        // approved: public now, in the queue or already being made
        JsonNode after = get(bo, "/api/channels/tv/queue");
        assertThat(after.toString()).contains("a lighthouse made of candy");
    }

    @Test
    void aFloodFromOneAddressIsRefusedWithRetryAfterBeyondItsLimit() throws Exception {
        int accepted = 0;
        int limited = 0;
        List<String> ideas = List.of(
                "a lantern glowing in fog",
                "penguins marching on ice",
                "a volcano erupting at night",
                "tulips swaying in wind",
                "a train crossing a bridge",
                "koi fish circling a pond",
                "astronauts planting a flag",
                "a chess game between cats",
                "desert dunes under stars",
                "a jazz band on a rooftop",
                "rain on a tin roof",
                "a hot air balloon race");
        for (int i = 0; i < ideas.size(); i++) {
            ConsoleClient viewer = aViewerOnTheWatchPage(station, "tv");
            HttpResponse<String> answer = viewer.post("/api/channels/tv/suggestions", Map.of("text", ideas.get(i)));
            if (answer.statusCode() == 200) {
                accepted++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                assertThat(json(answer).get("why").asText()).isEqualTo("ADDRESS_TOO_BUSY");
                limited++;
            }
        }
        int perIp = StudioConfig.Audience.DEFAULT.perIp();
        assertThat(accepted).isEqualTo(perIp);
        assertThat(limited).isEqualTo(12 - perIp);
        assertThat(get(new ConsoleClient(station.url()), "/api/channels/tv/queue")
                        .get("awaitingReview")
                        .asInt())
                .isEqualTo(perIp);
    }

    @Test
    void aConsoleChannelsStudioSettingsChangeLiveAndAYamlChannelsAreReadOnly() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("id", "live");
        settings.put("theme", "a harbour at dawn");
        settings.put("lookaheadSeconds", 10);
        settings.put("format", Map.of("width", 256, "height", 144, "fps", 24));
        assertThat(station.console().create(settings, "test")).isEmpty();
        station.console().pause("live", true, "test");

        ConsoleClient operator = new ConsoleClient(station.url());
        operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
        operator.page("/admin/studio");
        HttpResponse<String> saved = operator.post(
                "/admin/studio/live/settings", Map.of("policy", "review-prompts", "suggestions", "closed"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(station.console().settings("live").orElseThrow())
                .containsEntry("policy", "review-prompts")
                .containsEntry("suggestions", false);
        Audience.Channel desk = station.audience().orElseThrow().channel("live").orElseThrow();
        assertThat(desk.open()).isFalse();
        assertThat(desk.policy()).isEqualTo(StudioConfig.Policy.REVIEW_PROMPTS);

        ConsoleClient viewer = aViewerOnTheWatchPage(station, "live");
        assertThat(viewer.page("/watch/live").body())
                .contains("does not take suggestions")
                .doesNotContain("id=\"suggest\"");
        HttpResponse<String> refused =
                viewer.post("/api/channels/live/suggestions", Map.of("text", "a red kite over the bay"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("message").asText()).isEqualTo("This channel does not take suggestions.");

        assertThat(operator.post("/admin/studio/live/settings", Map.of("policy", "sometimes"))
                        .headers()
                        .firstValue("Location")
                        .orElseThrow())
                .contains("not+saved");
        assertThat(operator.post("/admin/studio/tv/settings", Map.of("policy", "auto"))
                        .statusCode())
                .isEqualTo(409);
        assertThat(station.audit().page(OptionalLong.empty(), 50).entries())
                .anySatisfy(e -> assertThat(e.action()).isEqualTo("channel.update"));
    }
}
