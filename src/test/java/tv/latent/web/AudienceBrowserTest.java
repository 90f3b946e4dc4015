package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.audience.Audience;
import tv.latent.audience.SuggestionState;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * The watch page's suggestion box and the console's studio in headless Chromium (driven by
 * tools/audience-check.js), on a real station with the embedded engines: a viewer suggests a
 * shot, sees it queued, another viewer votes for it, and it airs with her name in the caption; an
 * XSS corpus suggested on a channel that reviews prompts shows as text on the watch page and in
 * the console, where an operator approves one; the studio shows a later suggestion live, without
 * replacing what the operator is typing.
 */
@SlowTest
class AudienceBrowserTest {
    @TempDir
    Path dir;

    /** A station whose channel has fresh clips waiting (the lookahead asks for nothing), small model frames. */
    private Station aStationWithABacklog(String channelYaml) throws Exception {
        LatentConfig config = Stations.load(
                Stations.config(dir, "    model: {width: 128, height: 72, frames: 24, fps: 8}\n" + channelYaml),
                ConsoleAccessTest.ENV);
        Stations.fillLibrary(config, 20);
        return Station.start(config, new Station.Options(0, true, ConsoleAccessTest.ENV, Duration.ofMillis(500)));
    }

    private JsonNode run(String... args) throws Exception {
        return Chromium.run(dir, "audience-check.js", "audience", 480, args);
    }

    @Test
    void aViewerSuggestsAShotSeesItQueuedGetsAVoteAndSeesItAirWithHerName() throws Exception {
        try (Station station = aStationWithABacklog("")) {
            JsonNode report = run("viewer", station.url(), Stations.CHANNEL);

            assertThat(report.get("boReply").get("kind").asText())
                    .as(report.toString())
                    .contains("accepted");
            assertThat(report.get("adaReply").get("text").asText()).contains("is in the queue");
            int number = report.get("adaNumber").asInt();
            assertThat(report.get("adaSeesQueued").asText()).contains("a purple whale singing opera", "Ada", "(you)");
            assertThat(report.get("adaHasVoteButton").asBoolean())
                    .as("no vote for one's own suggestion")
                    .isFalse();
            assertThat(report.get("voteReply").asText()).isEqualTo("Thanks! #" + number + " has 1 vote.");
            assertThat(report.get("votesShown").asText()).contains("1 vote").doesNotStartWith("not shown");
            assertThat(report.get("secondVote").get("status").asInt()).isEqualTo(422);
            assertThat(report.get("secondVote").get("body").get("message").asText())
                    .isEqualTo("You already voted for #" + number + ".");

            assertThat(report.get("credit").asText()).isEqualTo("Suggested by Ada (#" + number + ")");
            List<String> statuses = new ArrayList<>();
            report.get("adaStatuses").forEach(s -> statuses.add(s.asText()));
            assertThat(statuses)
                    .as("she followed it from the queue to the air")
                    .anySatisfy(s -> assertThat(s).containsAnyOf("In the queue with", "Being made", "Made: airs"))
                    .anySatisfy(s -> assertThat(s).contains("On air now!"));
            System.out.println("Ada's suggestion aired credited " + report.get("creditAfterSeconds")
                    + " s after the vote; she saw: " + statuses);

            Audience audience = station.audience().orElseThrow();
            assertThat(audience.suggestion(Stations.CHANNEL, number)
                            .orElseThrow()
                            .votes())
                    .isEqualTo(1);
            assertThat(report.get("cspViolations")).as("CSP violations").isEmpty();
            // the browser logs the refused second vote (422) as a failed resource; nothing else may fail
            List<String> errors = new ArrayList<>();
            report.get("consoleErrors").forEach(e -> errors.add(e.asText()));
            assertThat(errors).as("script errors").allSatisfy(e -> assertThat(e).contains("status of 422"));
        }
    }

    @Test
    void anXssCorpusSuggestedOnAReviewedChannelShowsAsTextAndAnOperatorApprovesOne() throws Exception {
        List<String> corpus = ConsoleBrowserTest.XSS;
        try (Station station = aStationWithABacklog(
                "    policy: review-prompts\naudience: {perIp: 100, perChannelPerMinute: 100}\n")) {
            JsonNode report = run(
                    "review",
                    station.url(),
                    Stations.CHANNEL,
                    ConsoleClient.PASSWORD,
                    new ObjectMapper().writeValueAsString(corpus));

            assertThat(report.get("replies")).hasSize(corpus.size());
            List<String> accepted = new ArrayList<>();
            for (JsonNode reply : report.get("replies")) {
                if (reply.get("kind").asText().contains("pending")) {
                    assertThat(reply.get("text").asText()).contains("waits for a moderator's approval");
                    accepted.add(reply.get("submitted").asText());
                } else {
                    // links (javascript:) are refused, with the reason said
                    assertThat(reply.get("kind").asText()).as(reply.toString()).contains("refused");
                    assertThat(reply.get("text").asText()).isNotBlank();
                }
            }
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(4);
            assertThat(report.get("pendingBefore").asInt()).isEqualTo(accepted.size());
            assertThat(report.get("approvedNotice").asText()).contains("#1 approved");
            assertThat(report.get("pendingAfter").asInt()).isEqualTo(accepted.size() - 1);
            assertThat(report.get("firstViewerSees").isNull())
                    .as("the approved suggestion reaches the public queue")
                    .isFalse();
            assertThat(station.audience()
                            .orElseThrow()
                            .suggestion(Stations.CHANNEL, 1)
                            .orElseThrow()
                            .state())
                    .isNotIn(SuggestionState.PENDING, SuggestionState.REJECTED);
            assertThat(station.audit().page(java.util.OptionalLong.empty(), 100).entries())
                    .anySatisfy(e -> {
                        assertThat(e.actor()).isEqualTo("admin");
                        assertThat(e.action()).isEqualTo("suggestion.approved");
                    });

            assertThat(report.get("lateReply").get("text").asText()).contains("waits for a moderator's approval");
            assertThat(report.get("heldWhileTyping").asBoolean())
                    .as("the studio heard the new suggestion while the operator typed")
                    .isTrue();
            assertThat(report.get("lateShownWhileTyping").asBoolean())
                    .as("the section is not replaced under the operator's hands")
                    .isFalse();
            assertThat(report.get("typedKept").asText()).isEqualTo("thinking about it");
            assertThat(report.get("lateShown").isNull())
                    .as("the new suggestion shows without a reload once the operator leaves the box")
                    .isFalse();
            assertThat(report.get("liveTokensFilled").asBoolean()).isTrue();
            assertThat(report.get("lateApprovedNotice").asText())
                    .as("a suggestion that came live is approved from its live form")
                    .contains("approved: it joins the queue");

            assertThat(report.get("dialogs")).as("dialogs opened").isEmpty();
            assertThat(report.get("cspViolations")).as("CSP violations").isEmpty();
            for (JsonNode page : report.get("pages")) {
                String path = page.get("path").asText();
                assertThat(page.get("injected"))
                        .as("injected elements on %s", path)
                        .isEmpty();
                assertThat(page.get("pwned").isNull())
                        .as("script ran on %s", path)
                        .isTrue();
            }
            String studio = ConsoleBrowserTest.text(report, "/admin/studio");
            for (String entry : accepted) {
                assertThat(studio).as("shown as text in the studio").contains(entry);
            }
            assertThat(ConsoleBrowserTest.text(report, "/watch/tv (viewer0)")).contains(accepted.getFirst());
        }
    }
}
