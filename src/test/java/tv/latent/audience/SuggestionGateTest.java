package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.audience.Reply.Why;
import tv.latent.backend.moderation.FakeModerationServer;
import tv.latent.config.StudioConfig;
import tv.latent.moderation.Moderator;
import tv.latent.testing.LargeLibrary;

/** What the suggestion box and the vote buttons take, refuse and record, before anything is made. */
class SuggestionGateTest {
    @TempDir
    Path dir;

    private static Moderator listing(String... words) {
        return Moderator.of(new StudioConfig.Moderation(List.of(words), List.of(), Optional.empty(), 3), name -> null);
    }

    private static Moderator endpoint(FakeModerationServer fake) {
        return Moderator.of(
                new StudioConfig.Moderation(
                        List.of(),
                        List.of(),
                        Optional.of(new StudioConfig.ModerationEndpoint(
                                fake.baseUrl(), "omni-moderation-latest", "", Duration.ofSeconds(2))),
                        3),
                name -> null);
    }

    private static Reply.Refused refused(Reply reply) {
        assertThat(reply).isInstanceOf(Reply.Refused.class);
        return (Reply.Refused) reply;
    }

    private static SuggestionView accepted(Reply reply) {
        assertThat(reply).as(reply.message()).isInstanceOf(Reply.Accepted.class);
        return ((Reply.Accepted) reply).suggestion();
    }

    @Test
    void aSuggestionJoinsThePublicQueueWithTheViewersNameAndIsAudited() throws Exception {
        try (TestAudience t = new TestAudience(dir, "", "auto", Moderator.none())) {
            Reply reply = t.suggest("viewer-1", "203.0.113.5", "Ada", "a red fox juggling glowing lanterns");
            SuggestionView view = accepted(reply);
            assertThat(reply.message()).isEqualTo("Thanks! Your suggestion #1 is in the queue.");
            assertThat(view.number()).isEqualTo(1);
            assertThat(view.displayName()).isEqualTo("Ada");
            assertThat(view.state()).isEqualTo(SuggestionState.QUEUED);
            assertThat(view.status()).isEqualTo("In the queue with 0 votes.");
            QueueSnapshot queue = t.audience.queue(TestAudience.CHANNEL);
            assertThat(queue.queued())
                    .extracting(SuggestionView::text)
                    .containsExactly("a red fox juggling glowing lanterns");
            assertThat(t.audit).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("suggestion.accepted");
                assertThat(e.subject()).isEqualTo("channel:tv/suggestion:1");
                assertThat(e.detail()).contains("viewer-1", "Ada", "203.0.113.5", "juggling");
            });
        }
    }

    @Test
    void theBadInputCorpusIsRefusedAndNothingIsStored() throws Exception {
        try (TestAudience t = new TestAudience(dir, "suggestEverySeconds: 0", "auto", Moderator.none())) {
            int viewer = 0;
            for (var args : SuggestionTextTest.badInput().toList()) {
                String raw = (String) args.get()[0];
                Reply reply = t.suggest("v" + viewer++, "198.51.100." + viewer, "", raw);
                assertThat(refused(reply).why()).as(raw).isEqualTo(args.get()[1]);
            }
            assertThat(refused(t.suggest("v-name", "198.51.100.200", "x".repeat(40), "a red fox"))
                            .why())
                    .isEqualTo(Why.BAD_NAME);
            assertThat(t.stored()).isEmpty();
            assertThat(t.audit).isEmpty();
        }
    }

    @Test
    void htmlAndScriptAreStoredAsTheTextTheViewerTyped() throws Exception {
        try (TestAudience t = new TestAudience(dir, "", "auto", Moderator.none())) {
            String text = "<script>alert(document.cookie)</script> a <b>bold</b> fox";
            SuggestionView view = accepted(t.suggest("v1", "192.0.2.1", "<img src=x onerror=alert(1)>", text));
            assertThat(view.text()).isEqualTo(text);
            assertThat(view.displayName()).isEqualTo("<img src=x onerror=alert(1)>");
        }
    }

    @Test
    void aViewerWhoJustSuggestedIsToldWhenTheyMaySuggestAgain() throws Exception {
        try (TestAudience t = new TestAudience(dir, "suggestEverySeconds: 120", "auto", Moderator.none())) {
            accepted(t.suggest("v1", "192.0.2.1", "", "a red fox at dawn"));
            Reply.Refused again = refused(t.suggest("v1", "192.0.2.1", "", "a heron at dusk"));
            assertThat(again.why()).isEqualTo(Why.VIEWER_TOO_SOON);
            assertThat(again.message()).isEqualTo("You can suggest again in 2 min.");
            assertThat(again.retryAfter()).contains(Duration.ofMinutes(2));
            t.clock.advance(Duration.ofSeconds(75));
            assertThat(refused(t.suggest("v1", "192.0.2.1", "", "a heron at dusk"))
                            .message())
                    .isEqualTo("You can suggest again in 45 s.");
            t.clock.advance(Duration.ofSeconds(45));
            accepted(t.suggest("v1", "192.0.2.1", "", "a heron at dusk"));
        }
    }

    @Test
    void aFloodFromOneAddressIsCutAtItsLimitWithoutTouchingTheChannel() throws Exception {
        try (TestAudience t = new TestAudience(dir, "perIp: 3, ipWindowMinutes: 10", "auto", Moderator.none())) {
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(t.suggest("bot-" + i, "203.0.113.66", "", "spam idea number " + words(i)));
            }
            assertThat(replies.stream().filter(Reply.Accepted.class::isInstance))
                    .hasSize(3);
            Reply.Refused last = refused(replies.getLast());
            assertThat(last.why()).isEqualTo(Why.ADDRESS_TOO_BUSY);
            assertThat(last.message()).startsWith("Too many suggestions from your network: you can suggest again in ");
            assertThat(last.retryAfter()).isPresent();
            assertThat(t.stored()).hasSize(3);
            accepted(t.suggest("someone-else", "198.51.100.7", "", "a quiet lake at dawn"));
        }
    }

    @Test
    void aFloodFromManyAddressesStopsAtTheChannelsRateBeforeReachingModeration() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer();
                TestAudience t = new TestAudience(
                        dir,
                        "perChannelPerMinute: 10, queueCap: 500, suggestEverySeconds: 0",
                        "auto",
                        endpoint(fake))) {
            List<Callable<Reply>> flood = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                flood.add(() -> t.suggest("bot-" + n, "10.0." + n / 250 + "." + n % 250, "", "idea " + words(n)));
            }
            List<Reply> replies = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (Future<Reply> f : pool.invokeAll(flood)) {
                    replies.add(f.get());
                }
            }
            assertThat(replies.stream().filter(Reply.Accepted.class::isInstance))
                    .hasSize(10);
            assertThat(replies.stream()
                            .filter(r -> r instanceof Reply.Refused f && f.why() == Why.CHANNEL_TOO_BUSY)
                            .map(Reply::message))
                    .hasSize(190)
                    .allMatch(m -> m.startsWith("Lots of suggestions right now: please try again in "));
            assertThat(fake.inputs)
                    .as("the flood never reached the moderation endpoint")
                    .hasSize(10);
            assertThat(t.stored()).hasSize(10);
        }
    }

    @Test
    void theSameIdeaIsStoredOnceEvenWhenManySendItAtOnce() throws Exception {
        try (TestAudience t =
                new TestAudience(dir, "suggestEverySeconds: 0, perChannelPerMinute: 1000", "auto", Moderator.none())) {
            List<Callable<Reply>> same = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                String text = n % 2 == 0 ? "A red fox, juggling lanterns!" : "a red fox juggling lanternz";
                same.add(() -> t.suggest("viewer-" + n, "10.1.0." + n, "", text));
            }
            List<Reply> replies = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (Future<Reply> f : pool.invokeAll(same)) {
                    replies.add(f.get());
                }
            }
            assertThat(replies.stream().filter(Reply.Accepted.class::isInstance))
                    .hasSize(1);
            assertThat(replies.stream().filter(r -> r instanceof Reply.Refused f && f.why() == Why.DUPLICATE))
                    .hasSize(39)
                    .allSatisfy(
                            r -> assertThat(r.message()).isEqualTo("That was suggested already: vote for #1 instead."));
            assertThat(t.stored()).hasSize(1);
        }
    }

    @Test
    void anIdeaAlreadyQueuedCostsTheViewerNoPlaceSoSheMaySuggestAnotherAtOnce() throws Exception {
        try (TestAudience t = new TestAudience(dir, "", "auto", Moderator.none())) {
            accepted(t.suggest("viewer-1", "203.0.113.5", "", "a red fox juggling glowing lanterns"));
            Reply same = t.suggest("viewer-2", "203.0.113.9", "", "A red fox, juggling glowing lanterns!");
            assertThat(refused(same).why()).isEqualTo(Why.DUPLICATE);
            assertThat(same.message()).isEqualTo("That was suggested already: vote for #1 instead.");

            accepted(t.suggest("viewer-2", "203.0.113.9", "", "a heron fishing under a full moon"));
            Reply third = t.suggest("viewer-2", "203.0.113.9", "", "a lighthouse in a snowstorm");
            assertThat(refused(third).why())
                    .as("the accepted one took her place")
                    .isEqualTo(Why.VIEWER_TOO_SOON);
        }
    }

    @Test
    void theQueueAndEachViewerHaveCaps() throws Exception {
        try (TestAudience t = new TestAudience(
                dir, "suggestEverySeconds: 0, queueCap: 4, openPerViewer: 2", "auto", Moderator.none())) {
            accepted(t.suggest("v1", "", "", "a red fox at dawn"));
            accepted(t.suggest("v1", "", "", "a heron at dusk"));
            Reply.Refused mine = refused(t.suggest("v1", "", "", "an otter on a rock"));
            assertThat(mine.why()).isEqualTo(Why.VIEWER_QUEUE_FULL);
            assertThat(mine.message())
                    .isEqualTo("You already have 2 suggestions waiting: vote for others while they wait.");
            accepted(t.suggest("v2", "", "", "an otter on a rock"));
            accepted(t.suggest("v3", "", "", "a lighthouse in a storm"));
            Reply.Refused full = refused(t.suggest("v4", "", "", "a whale singing opera"));
            assertThat(full.why()).isEqualTo(Why.QUEUE_FULL);
            assertThat(full.message()).isEqualTo("The queue is full: try again when a shot has aired.");
            assertThat(t.audience.suggestionsOf(TestAudience.CHANNEL, "v1", 10)).hasSize(2);
        }
    }

    @Test
    void aFlaggedSuggestionIsRefusedPolitelyAuditedAndNeverMade() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer().flag("bloody massacre", "violence");
                TestAudience t = new TestAudience(dir, "", "auto", endpoint(fake))) {
            Reply.Refused reply = refused(t.suggest("v1", "192.0.2.9", "Mallory", "a bloody massacre in the square"));
            assertThat(reply.why()).isEqualTo(Why.FLAGGED);
            assertThat(reply.message())
                    .isEqualTo("Sorry, we cannot make that one: it does not pass this channel's content rules. "
                            + "Try another idea!")
                    .doesNotContain("violence");
            assertThat(t.stored()).isEmpty();
            assertThat(t.station.jobs().unfinished(TestAudience.CHANNEL)).isZero();
            assertThat(t.audit).singleElement().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("moderation");
                assertThat(e.action()).isEqualTo("suggestion.refused");
                assertThat(e.detail()).contains("violence", "v1", "Mallory", "bloody massacre");
            });
        }
    }

    @Test
    void aFlaggedDisplayNameIsRefusedAndTheListsSeeThroughDisguises() throws Exception {
        try (TestAudience t = new TestAudience(dir, "suggestEverySeconds: 0", "auto", listing("badword"))) {
            assertThat(refused(t.suggest("v1", "", "B4dw0rd", "a red fox at dawn"))
                            .why())
                    .isEqualTo(Why.NAME_FLAGGED);
            assertThat(refused(t.suggest("v1", "", "", "a b a d w o r d fox")).why())
                    .isEqualTo(Why.FLAGGED);
            assertThat(t.stored()).isEmpty();
            assertThat(t.audit).hasSize(2);
        }
    }

    @Test
    void whenModerationCannotAnswerNothingIsTakenAndTheViewerMayTryAgainAtOnce() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer();
                TestAudience t = new TestAudience(dir, "suggestEverySeconds: 120", "auto", endpoint(fake))) {
            fake.mode = FakeModerationServer.Mode.SERVER_ERROR;
            Reply.Refused reply = refused(t.suggest("v1", "192.0.2.1", "", "a red fox at dawn"));
            assertThat(reply.why()).isEqualTo(Why.MODERATION_UNAVAILABLE);
            assertThat(reply.retryAfter()).contains(Duration.ofMinutes(1));
            fake.mode = FakeModerationServer.Mode.ANSWER;
            accepted(t.suggest("v1", "192.0.2.1", "", "a red fox at dawn"));
        }
    }

    @Test
    void votesCountOncePerViewerAndOrderTheQueue() throws Exception {
        try (TestAudience t =
                new TestAudience(dir, "suggestEverySeconds: 0, votesPerIpPerMinute: 3", "auto", Moderator.none())) {
            accepted(t.suggest("a", "", "", "a red fox at dawn"));
            t.clock.advance(Duration.ofSeconds(1));
            accepted(t.suggest("b", "", "", "a heron at dusk"));
            t.clock.advance(Duration.ofSeconds(1));
            accepted(t.suggest("c", "", "", "an otter on a rock"));

            Reply vote = t.audience.vote(TestAudience.CHANNEL, Viewer.web("x", "", ""), 2);
            assertThat(vote.message()).isEqualTo("Thanks! #2 has 1 vote.");
            assertThat(refused(t.audience.vote(TestAudience.CHANNEL, Viewer.web("x", "", ""), 2))
                            .why())
                    .isEqualTo(Why.ALREADY_VOTED);
            assertThat(refused(t.audience.vote(TestAudience.CHANNEL, Viewer.web("b", "", ""), 2))
                            .why())
                    .isEqualTo(Why.OWN_SUGGESTION);
            assertThat(refused(t.audience.vote(TestAudience.CHANNEL, Viewer.web("x", "", ""), 99))
                            .message())
                    .isEqualTo("There is no suggestion #99 in the queue.");
            accepted(t.audience.vote(TestAudience.CHANNEL, Viewer.web("y", "", ""), 3));
            accepted(t.audience.vote(TestAudience.CHANNEL, Viewer.web("z", "", ""), 3));

            QueueSnapshot queue = t.audience.queue(TestAudience.CHANNEL);
            assertThat(queue.queued()).extracting(SuggestionView::number).containsExactly(3L, 2L, 1L);
            assertThat(queue.queued()).extracting(SuggestionView::votes).containsExactly(2, 1, 0);

            for (int i = 0; i < 3; i++) {
                accepted(t.audience.vote(TestAudience.CHANNEL, Viewer.web("n" + i, "198.51.100.1", ""), 1));
            }
            Reply.Refused busy =
                    refused(t.audience.vote(TestAudience.CHANNEL, Viewer.web("n9", "198.51.100.1", ""), 1));
            assertThat(busy.why()).isEqualTo(Why.ADDRESS_TOO_BUSY);
            assertThat(t.audience
                            .suggestion(TestAudience.CHANNEL, 1)
                            .orElseThrow()
                            .votes())
                    .isEqualTo(3);
        }
    }

    @Test
    void onAChannelThatReviewsPromptsSuggestionsWaitForAnOperator() throws Exception {
        try (TestAudience t = new TestAudience(dir, "suggestEverySeconds: 0", "review-prompts", Moderator.none())) {
            Reply first = t.suggest("a", "", "Ada", "a red fox at dawn");
            assertThat(first.message()).isEqualTo("Thanks! Your suggestion #1 waits for a moderator's approval.");
            accepted(t.suggest("b", "", "", "a heron at dusk"));
            QueueSnapshot queue = t.audience.queue(TestAudience.CHANNEL);
            assertThat(queue.queued()).isEmpty();
            assertThat(queue.awaitingReview()).isEqualTo(2);
            assertThat(refused(t.audience.vote(TestAudience.CHANNEL, Viewer.web("x", "", ""), 1))
                            .why())
                    .isEqualTo(Why.NOT_IN_QUEUE);
            assertThat(t.audience.awaitingReview(TestAudience.CHANNEL))
                    .extracting(SuggestionView::number)
                    .containsExactly(1L, 2L);

            assertThat(t.audience.approve(TestAudience.CHANNEL, 1, "operator-kim"))
                    .isTrue();
            assertThat(t.audience.reject(TestAudience.CHANNEL, 2, "operator-kim", "off topic"))
                    .isTrue();
            assertThat(t.audience.approve(TestAudience.CHANNEL, 2, "operator-kim"))
                    .isFalse();

            assertThat(t.audience.queue(TestAudience.CHANNEL).queued())
                    .extracting(SuggestionView::number)
                    .containsExactly(1L);
            assertThat(t.audience
                            .suggestion(TestAudience.CHANNEL, 2)
                            .orElseThrow()
                            .status())
                    .isEqualTo("A moderator decided not to use it.");
            assertThat(t.audit)
                    .filteredOn(e -> e.actor().equals("operator-kim"))
                    .extracting(TestAudience.Entry::action)
                    .containsExactly("suggestion.approved", "suggestion.rejected");
            assertThat(t.audit)
                    .filteredOn(e -> e.action().equals("suggestion.rejected"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.detail()).startsWith("off topic: "));
        }
    }

    @Test
    void waitingSuggestionsExpireAndFinishedOnesAreDeletedInTime() throws Exception {
        try (TestAudience t = new TestAudience(
                dir, "suggestEverySeconds: 0, queuedHours: 2, keepDays: 1", "auto", Moderator.none())) {
            accepted(t.suggest("a", "", "", "a red fox at dawn"));
            t.clock.advance(Duration.ofHours(3));
            accepted(t.suggest("b", "", "", "a heron at dusk"));
            assertThat(t.audience.prune()).containsExactly(1, 0);
            assertThat(t.audience
                            .suggestion(TestAudience.CHANNEL, 1)
                            .orElseThrow()
                            .state())
                    .isEqualTo(SuggestionState.EXPIRED);
            t.clock.advance(Duration.ofDays(1).plusMinutes(1));
            assertThat(t.audience.prune()).containsExactly(1, 1);
            assertThat(t.stored()).extracting(Suggestion::number).containsExactly(2L);
        }
    }

    @Test
    void theQueuesQueriesUseTheirIndexes() throws Exception {
        try (TestAudience t = new TestAudience(dir, "", "auto", Moderator.none())) {
            for (String sql : SuggestionStore.INDEXED_QUERIES) {
                int parameters = (int) sql.chars().filter(c -> c == '?').count();
                Object[] args =
                        List.<Object>of("tv", "x", 1).subList(0, parameters).toArray();
                String plan = LargeLibrary.plan(t.station.jobs().database(), sql, args);
                assertThat(plan).as(sql).contains("USING").doesNotContain("SCAN suggestions");
            }
        }
    }

    private static String words(int n) {
        return TestAudience.distinct(n);
    }
}
