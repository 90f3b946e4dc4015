package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;

/** The lookahead asks the director for shots of the programme they will air in. */
class ScheduledLookaheadTest {
    private static final double CLIP = 64 / 24.0;

    @TempDir
    Path dir;

    /** A director that remembers every request and plans as many shots as asked. */
    static final class RecordingDirector implements Director {
        final List<DirectorRequest> requests = new ArrayList<>();

        @Override
        public synchronized Direction plan(DirectorRequest request) {
            requests.add(request);
            List<ShotPlan> plans = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) {
                plans.add(new ShotPlan(null, request.brief().theme() + ", shot " + i, "", i, "", "s1"));
            }
            return new Direction(plans, "recording", "");
        }

        @Override
        public Direction adapt(AdaptRequest request) {
            throw new UnsupportedOperationException("no viewer suggestions in these tests");
        }
    }

    @Test
    void aShotAirsAfterTheFreshMaterialAheadOfItAndNotBeforeItIsMade() {
        Instant now = Instant.parse("2026-03-02T12:00:00Z");
        // 30 s fresh, 2 shots in the making, the third of this batch: 30 + 4 × 2.67 s
        assertThat(Lookahead.airsAt(now, 30, 2, 2, CLIP, Duration.ZERO))
                .isEqualTo(now.plusMillis(Math.round((30 + 4 * CLIP) * 1000)));
        // making a shot takes 2 minutes: it cannot air sooner, however little is queued
        assertThat(Lookahead.airsAt(now, 10, 0, 0, CLIP, Duration.ofMinutes(2))).isEqualTo(now.plusSeconds(120));
    }

    @Test
    void shotsThatWillAirInASlotGetTheSlotsBriefAndABatchStopsAtTheChange() throws Exception {
        String channelYaml =
                """
                lookaheadSeconds: 60
                style: [cinematic]
                musicMood: calm ambient piano
                schedule:
                  timeZone: Europe/Paris
                  slots:
                    - {title: Morning Wild, start: "06:00", end: "10:00", theme: wildlife at dawn, musicMood: gentle strings}
                """;
        // half a second before the slot starts: the first shot asked airs before 06:00, the next ones in the slot
        Instant beforeSix = LocalDateTime.parse("2026-03-02T05:59:59.500")
                .atZone(ZoneId.of("Europe/Paris"))
                .toInstant();
        RecordingDirector director = new RecordingDirector();
        try (TestChannels.Wired wired = new TestChannels.Wired(dir.resolve("data"), channelYaml, List.of());
                Lookahead lookahead = new Lookahead(
                        id -> 0,
                        wired.pipeline,
                        wired.jobs,
                        id -> director,
                        wired.config.channels(),
                        Duration.ofSeconds(1),
                        () -> false,
                        InstantSource.fixed(beforeSix))) {
            var channel = wired.config.channels().getFirst();

            assertThat(lookahead.feedOnce(channel)).isEqualTo(1);
            Director.ChannelBrief own = director.requests.get(0).brief();
            assertThat(own.theme()).isEqualTo("wildlife at golden hour");
            assertThat(own.musicMood()).isEqualTo("calm ambient piano");

            // the rest of what the pipeline may hold (two jobs at once: four in the making), all in the slot
            assertThat(lookahead.feedOnce(channel)).isEqualTo(3);
            Director.ChannelBrief slot = director.requests.get(1).brief();
            assertThat(slot.theme()).isEqualTo("wildlife at dawn");
            assertThat(slot.musicMood()).isEqualTo("gentle strings");
            assertThat(slot.style()).containsExactly("cinematic"); // the slot sets none: the channel's own
            assertThat(slot.title()).endsWith(": Morning Wild");
        }
    }

    @Test
    void outsideEverySlotTheChannelsOwnThemeIsTheBrief() throws Exception {
        try (TestChannels.Wired wired = new TestChannels.Wired(dir.resolve("data"), "", List.of())) {
            var channel = wired.config.channels().getFirst();
            assertThat(Lookahead.brief(channel, Optional.empty()).theme()).isEqualTo(channel.theme());
        }
    }
}
