package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Clip;
import tv.latent.media.HouseClips;
import tv.latent.playout.AirableClip;
import tv.latent.playout.ClipCatalog;
import tv.latent.playout.NowPlaying;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.testing.SlowTest;

/**
 * Retention on a channel that is on air (real playout, real ffmpeg cuts, a clock the test moves):
 * it takes only clips the channel no longer needs, and the channel airs on without them.
 */
@SlowTest
class LiveChannelRetentionTest {
    private static final int CLIPS = 60;

    @TempDir
    Path dir;

    @Test
    void retentionTakesOnlyClipsOffTheTimelineAndNotNextToRerunAndTheChannelAirsOn() throws Exception {
        try (TestLibrary shelf = new TestLibrary(dir)) {
            List<String> clips = new ArrayList<>();
            for (int i = 0; i < CLIPS; i++) {
                clips.add(shelf.anAirableClip("news", Duration.ofDays(CLIPS - i)));
            }
            AtomicReference<Instant> now = new AtomicReference<>(TestLibrary.NOW);
            InstantSource clock = now::get;
            try (Playout playout = new Playout(
                    shelf.db,
                    catalogOf(shelf),
                    HouseClips.ffmpeg(),
                    shelf.layout.root(),
                    List.of(new PlayoutChannel("news", "News", HouseClips.FORMAT, List.of(), 10)),
                    clock)) {
                playout.start();
                List<String> aired = new ArrayList<>();
                aired.add(playout.nowPlaying("news").orElseThrow().clipId().orElse("slate")); // on air at start
                for (int i = 1; i < CLIPS; i++) {
                    aired.add(airNext(playout, now));
                }
                // every clip aired once, oldest first; the newest 48 airings are 12..59, the next reruns 0..7
                assertThat(aired).isEqualTo(clips);

                Set<String> deleted = new HashSet<>();
                try (Retention retention = new Retention(
                        shelf.db,
                        shelf.layout,
                        TestLibrary.limits(OptionalLong.empty(), TestLibrary.maxClips(20, 1)),
                        List.of("news"),
                        TestLibrary.roomyDisk(),
                        clock)) {
                    retention.dryRun(d -> deleted.add(d.clipId()));
                    Retention.Outcome outcome = retention.runOnce();

                    assertThat(outcome.clips()).isEqualTo(4);
                    assertThat(outcome.overshoot()).singleElement().asString().contains("36 clips over maxClips 20");
                }
                assertThat(deleted).containsExactlyInAnyOrderElementsOf(clips.subList(8, 12));
                assertThat(shelf.clipRows())
                        .doesNotContainAnyElementsOf(deleted)
                        .hasSize(CLIPS - 4);
                assertThat(shelf.dangling()).isEmpty();

                // the channel airs on: the reruns in line, never a deleted clip
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    after.add(airNext(playout, now));
                }
                assertThat(after)
                        .doesNotContainAnyElementsOf(deleted)
                        .startsWith(clips.subList(0, 8).toArray(String[]::new));
                assertThat(playout.playlist("news")).contains("#EXTINF");
            }
        }
    }

    /** Moves the clock past what is on air and returns the clip the channel airs then. */
    private static String airNext(Playout playout, AtomicReference<Instant> now) throws Exception {
        now.updateAndGet(t -> t.plus(Duration.ofMinutes(1)));
        playout.playlist("news"); // waits for the scheduler to catch up with the clock
        Optional<NowPlaying> playing = playout.nowPlaying("news");
        return playing.orElseThrow().clipId().orElse("slate");
    }

    /** The library as playout reads it, as the station adapts it. */
    private static ClipCatalog catalogOf(TestLibrary shelf) {
        return new ClipCatalog() {
            @Override
            public List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
                try {
                    return shelf.library.arrivedAfter(channelId, afterSeq, limit).stream()
                            .map(a -> airable(a.clip(), a.seq()))
                            .toList();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Optional<AirableClip> find(String clipId) {
                try {
                    return shelf.library.find(clipId).map(c -> airable(c, 0));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static AirableClip airable(Clip clip, long seq) {
        return new AirableClip(
                clip.id(),
                clip.channelId(),
                clip.master(),
                clip.frames(),
                clip.title(),
                clip.prompt(),
                clip.masteredAt(),
                seq);
    }
}
