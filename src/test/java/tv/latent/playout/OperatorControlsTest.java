package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;

/** What an operator (or a viewer's shot) changes on a channel on air, at once and without a restart. */
class OperatorControlsTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String CH = "news";

    @TempDir
    Path dir;

    Database db;
    MemoryCatalog catalog;
    FakeClock clock;
    Playout playout;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("latenttv.db"));
        catalog = new MemoryCatalog(dir.resolve("clips"));
        clock = new FakeClock(T0);
    }

    @AfterEach
    void close() {
        if (playout != null) {
            playout.close();
        }
        db.close();
    }

    private Playout start(PlayoutChannel channel) throws Exception {
        playout = new Playout(db, catalog, HouseClips.ffmpeg(), dir.resolve("data"), List.of(channel), clock);
        playout.start();
        return playout;
    }

    private NowPlaying nextAiring() throws Exception {
        clock.set(playout.nowPlaying(CH).orElseThrow().end().plusMillis(1));
        return playout.nowPlaying(CH).orElseThrow();
    }

    @Test
    void aClipTakenOffAirLeavesThePlaylistAtTheNextRefreshAndNeverAirsAgain() throws Exception {
        catalog.add(CH, "bad", 192, T0.minusSeconds(60)); // 8 s: four segments
        catalog.add(CH, "good", 64, T0.minusSeconds(50));
        start(PlayoutChannel.of(CH, "News", HouseClips.FORMAT));
        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("bad");
        clock.advance(Duration.ofMillis(500));
        LivePlaylist before = LivePlaylist.parse(playout.playlist(CH));

        assertThat(playout.takeOffAir(CH, "bad", "a viewer complained")).isTrue();
        clock.advance(Duration.ofMillis(2000)); // the next refresh, one segment later
        LivePlaylist after = LivePlaylist.parse(playout.playlist(CH));

        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("good");
        assertThat(after.last().discontinuity()).isTrue();
        assertThat(after.mediaSequence()).isGreaterThanOrEqualTo(before.mediaSequence());
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            later.add(nextAiring().clipId().orElse("slate"));
        }
        assertThat(later).doesNotContain("bad");
        assertThat(playout.programmingState(CH, "bad")).contains("OFF_AIR");
    }

    @Test
    void aChannelThatReviewsClipsHoldsEachUntilAnOperatorApprovesIt() throws Exception {
        start(new PlayoutChannel(CH, "News", HouseClips.FORMAT, List.of(), 60, true));
        catalog.add(CH, "pending", 64, clock.instant());
        playout.clipsArrived(CH);

        assertThat(nextAiring().slate()).as("held, not aired").isTrue();
        assertThat(playout.programmingState(CH, "pending")).contains("HELD");
        assertThat(playout.unairedFreshSeconds(CH))
                .as("a held clip counts as ready: nothing more is made while it waits")
                .isGreaterThan(2.6);

        assertThat(playout.approve(CH, "pending")).isTrue();
        assertThat(nextAiring().clipId()).contains("pending");
    }

    @Test
    void aViewersShotAirsBeforeTheOtherFreshClips() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add(CH, "b", 64, T0.minusSeconds(50));
        catalog.add(CH, "viewer", 64, T0.minusSeconds(40));
        start(PlayoutChannel.of(CH, "News", HouseClips.FORMAT));
        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("a");

        assertThat(playout.airNext(CH, "viewer")).isTrue();

        assertThat(nextAiring().clipId()).contains("viewer");
        assertThat(nextAiring().clipId()).contains("b");
    }

    @Test
    void channelsComeAndGoAndChangeWhileOthersAir() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add("late", "x", 64, T0.minusSeconds(60));
        start(PlayoutChannel.of(CH, "News", HouseClips.FORMAT));

        playout.addChannel(PlayoutChannel.of("late", "Late Show", HouseClips.FORMAT));
        assertThat(playout.channelIds()).containsExactly(CH, "late");
        assertThat(playout.nowPlaying("late").orElseThrow().clipId()).contains("x");

        playout.updateChannel(new PlayoutChannel("late", "Late Night Show", HouseClips.FORMAT, List.of(), 60, true));
        assertThat(playout.channel("late").config().title()).isEqualTo("Late Night Show");

        assertThat(playout.removeChannel("late")).isTrue();
        assertThat(playout.channelIds()).containsExactly(CH);
        assertThat(playout.resolve("late", "live.m3u8")).isInstanceOf(HlsResponse.NotFound.class);
        assertThat(LivePlaylist.parse(playout.playlist(CH)).entries()).isNotEmpty();

        playout.addChannel(PlayoutChannel.of("late", "Late Show", HouseClips.FORMAT));
        assertThat(playout.nowPlaying("late")).isPresent();
    }
}
