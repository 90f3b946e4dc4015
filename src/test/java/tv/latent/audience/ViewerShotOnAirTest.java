package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * A viewer's suggestion on a real station (embedded engines, real playout): adapted by the
 * channel's director, made ahead of everything else, aired before the clips already waiting, with
 * the viewer's name for the caption; the viewer is told where it is all along.
 */
@SlowTest
class ViewerShotOnAirTest {
    private static final Duration WAIT = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    /** A station whose channel already has 20 fresh clips (53 s) waiting to air: the lookahead asks for nothing. */
    private Station aStationWithABacklog(String channelYaml) throws Exception {
        LatentConfig config = Stations.load(
                Stations.config(dir, "    model: {width: 128, height: 72, frames: 24, fps: 8}\n" + channelYaml),
                name -> null);
        Stations.fillLibrary(config, 20);
        return Station.start(config, new Station.Options(0, true, name -> null, Duration.ofMillis(500)));
    }

    private static SuggestionView await(Audience audience, long number, SuggestionState state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SuggestionView view = audience.suggestion(Stations.CHANNEL, number).orElseThrow();
            if (view.state() == state) {
                return view;
            }
            assertThat(view.state().finished() && view.state() != state)
                    .as("suggestion #%d ended %s (%s) before %s", number, view.state(), view.status(), state)
                    .isFalse();
            assertThat(System.nanoTime())
                    .as("suggestion #%d %s within %s", number, state, WAIT)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aViewersShotIsMadeAheadAiredBeforeTheWaitingClipsAndCreditedToThem() throws Exception {
        try (Station station = aStationWithABacklog("")) {
            Audience audience = station.audience().orElseThrow();
            List<SuggestionView> heard = new CopyOnWriteArrayList<>();
            List<QueueSnapshot> queues = new CopyOnWriteArrayList<>();
            audience.addListener(new AudienceListener() {
                @Override
                public void suggestionChanged(SuggestionView suggestion, String viewerId) {
                    assertThat(viewerId).isEqualTo("viewer-ada");
                    heard.add(suggestion);
                }

                @Override
                public void queueChanged(QueueSnapshot snapshot) {
                    queues.add(snapshot);
                }
            });

            Reply reply = audience.suggest(
                    Stations.CHANNEL, "viewer-ada", "203.0.113.10", "Ada", "a purple whale singing opera");
            assertThat(reply).isInstanceOf(Reply.Accepted.class);

            SuggestionView onAir = await(audience, 1, SuggestionState.ON_AIR);
            assertThat(onAir.status()).isEqualTo("On air now!");
            ShotJob job = station.jobs().list(Stations.CHANNEL, 100).stream()
                    .filter(j -> j.priority() == ShotJob.AHEAD)
                    .findFirst()
                    .orElseThrow();
            String clipId = job.id();
            assertThat(job.state()).isEqualTo(JobState.MASTERED);
            assertThat(job.plan().prompt())
                    .as("the director kept the viewer's words in the channel's grammar")
                    .contains("a purple whale singing opera")
                    .containsPattern("shot|Close-up");
            List<String> waiting = station.library().list(Stations.CHANNEL, 100).stream()
                    .map(Clip::id)
                    .filter(id -> !id.equals(clipId))
                    .filter(id -> {
                        try {
                            return station.playout()
                                    .programmingState(Stations.CHANNEL, id)
                                    .orElse("")
                                    .equals("FRESH");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
            assertThat(waiting)
                    .as("clips mastered before it still wait: it jumped them")
                    .isNotEmpty();
            assertThat(audience.credit(Stations.CHANNEL, clipId)).hasValueSatisfying(credit -> {
                assertThat(credit.displayName()).isEqualTo("Ada");
                assertThat(credit.number()).isEqualTo(1);
                assertThat(credit.text()).isEqualTo("a purple whale singing opera");
            });
            assertThat(audience.credit(Stations.CHANNEL, "clip-000")).isEmpty();

            await(audience, 1, SuggestionState.AIRED);
            // a listener hears the state at delivery (events coalesce), so a state that lasted less
            // than one delivery may be skipped; what it hears never steps back
            assertThat(heard)
                    .extracting(SuggestionView::state)
                    .as("the viewer hears the suggestion move forward only, from the queue to the screen")
                    .isSorted()
                    .first()
                    .isIn(SuggestionState.QUEUED, SuggestionState.MAKING);
            assertThat(heard)
                    .extracting(SuggestionView::state)
                    .containsSubsequence(SuggestionState.MAKING, SuggestionState.ON_AIR, SuggestionState.AIRED);
            assertThat(heard)
                    .filteredOn(v -> v.state() == SuggestionState.MAKING || v.state() == SuggestionState.READY)
                    .anySatisfy(v -> {
                        assertThat(v.airsIn()).isPresent();
                        assertThat(v.status()).contains("airs in about ");
                    });
            assertThat(queues).anySatisfy(q -> assertThat(q.onAir())
                    .hasValueSatisfying(v -> assertThat(v.number()).isEqualTo(1)));
        }
    }

    @Test
    void onAChannelThatReviewsClipsAViewersShotWaitsForTheOperatorsApproval() throws Exception {
        try (Station station = aStationWithABacklog("    policy: review-clips\n")) {
            Audience audience = station.audience().orElseThrow();
            audience.suggest(Stations.CHANNEL, "viewer-bo", "203.0.113.11", "Bo", "a lighthouse made of candy");
            SuggestionView ready = await(audience, 1, SuggestionState.READY);
            String clipId = station.jobs().list(Stations.CHANNEL, 100).stream()
                    .filter(j -> j.priority() == ShotJob.AHEAD)
                    .findFirst()
                    .orElseThrow()
                    .id();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ready.status().contains("approval") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                ready = audience.suggestion(Stations.CHANNEL, 1).orElseThrow();
            }
            assertThat(ready.status()).isEqualTo("Made: waiting for the operator's approval to air.");
            assertThat(station.playout().programmingState(Stations.CHANNEL, clipId))
                    .contains("HELD");

            assertThat(station.playout().approve(Stations.CHANNEL, clipId)).isTrue();
            await(audience, 1, SuggestionState.ON_AIR);
            assertThat(station.playout().programmingState(Stations.CHANNEL, "clip-000"))
                    .as("the clips held since the start still wait for review")
                    .contains("HELD");
        }
    }
}
