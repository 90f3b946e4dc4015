package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;

class ChannelPlayoutTest {
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

    Playout startPlayout() throws Exception {
        if (playout != null) {
            playout.close();
        }
        playout = new Playout(
                db,
                catalog,
                HouseClips.ffmpeg(),
                dir.resolve("data"),
                List.of(PlayoutChannel.of(CH, "The News Channel", HouseClips.FORMAT)),
                clock);
        playout.start();
        return playout;
    }

    LivePlaylist playlist() throws Exception {
        return LivePlaylist.parse(playout.playlist(CH));
    }

    /** Moves the clock to the end of the current airing and returns what airs then. */
    NowPlaying nextAiring() throws Exception {
        clock.set(playout.nowPlaying(CH).orElseThrow().end().plusMillis(1));
        return playout.nowPlaying(CH).orElseThrow();
    }

    @Test
    void freshClipsAirFirstInMasteringOrderThenReruns() throws Exception {
        catalog.add(CH, "second", 64, T0.minusSeconds(10));
        catalog.add(CH, "first", 64, T0.minusSeconds(20));
        catalog.add(CH, "third", 64, T0.minusSeconds(5));
        startPlayout();

        List<String> aired = new ArrayList<>(
                List.of(playout.nowPlaying(CH).orElseThrow().clipId().orElseThrow()));
        for (int i = 0; i < 5; i++) {
            aired.add(nextAiring().clipId().orElseThrow());
        }

        assertThat(aired).containsExactly("first", "second", "third", "first", "second", "third");
    }

    @Test
    void aClipMasteredWhileLiveAirsAtTheNextDecisionAheadOfReruns() throws Exception {
        catalog.add(CH, "long", 128, T0.minusSeconds(60));
        startPlayout();
        NowPlaying first = playout.nowPlaying(CH).orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        catalog.add(CH, "new", 64, clock.instant());

        clock.set(first.end().plusMillis(1));
        LivePlaylist live = playlist();

        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("new");
        assertThat(live.last().sequence()).isEqualTo(3);
        assertThat(live.last().discontinuity()).isFalse();
    }

    @Test
    void everyRerunIsTheLeastRecentlyAiredSoNoClipComesBackWhileAnotherWaitsLonger() throws Exception {
        for (int i = 0; i < 4; i++) {
            catalog.add(CH, "c" + i, 64, T0.minusSeconds(100 - i));
        }
        startPlayout();
        List<String> aired = new ArrayList<>();
        aired.add(playout.nowPlaying(CH).orElseThrow().clipId().orElseThrow());
        for (int i = 0; i < 11; i++) {
            aired.add(nextAiring().clipId().orElseThrow());
        }
        for (int i = 4; i < aired.size(); i++) {
            assertThat(aired.subList(i - 3, i)).as("airings before #%d", i).doesNotContain(aired.get(i));
        }
    }

    @Test
    void theSlateAirsWhileTheLibraryIsEmptyAndJoinsTheFirstClipWithoutADiscontinuity() throws Exception {
        startPlayout();
        NowPlaying slate = playout.nowPlaying(CH).orElseThrow();
        assertThat(slate.slate()).isTrue();
        assertThat(slate.title()).isEqualTo("The News Channel");

        catalog.add(CH, "finally", 64, clock.instant());
        NowPlaying next = nextAiring();
        LivePlaylist live = playlist();

        assertThat(next.clipId()).contains("finally");
        assertThat(live.entries()).noneMatch(LivePlaylist.Entry::discontinuity);
        assertThat(playout.segment(CH, live.last().name())).isInstanceOf(HlsResponse.Found.class);
    }

    @Test
    void resumesAtTheWallClockPositionAfterARestartAndTheMediaSequenceKeepsGrowing() throws Exception {
        catalog.add(CH, "a", 128, T0.minusSeconds(60));
        catalog.add(CH, "b", 128, T0.minusSeconds(50));
        startPlayout();
        clock.advance(Duration.ofMillis(3000));
        LivePlaylist before = playlist();
        assertThat(before.last().sequence()).isEqualTo(1);

        playout.close();
        clock.advance(Duration.ofMillis(3500)); // down while "a" ends: 6.5 s is 1.17 s into "b"
        startPlayout();

        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("b");
        assertThat(playout.nowPlaying(CH).orElseThrow().start()).isEqualTo(T0.plusNanos(5_333_333_333L));
        LivePlaylist after = playlist();
        assertThat(after.mediaSequence()).isGreaterThanOrEqualTo(before.mediaSequence());
        assertThat(after.last().sequence()).isEqualTo(3);
        assertThat(after.entries()).noneMatch(LivePlaylist.Entry::discontinuity);
    }

    @Test
    void afterLongDowntimeTheChannelJumpsToNowWithOneDiscontinuityThatIsCountedWhenItLeaves() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add(CH, "b", 64, T0.minusSeconds(50));
        startPlayout();
        for (int i = 0; i < 4; i++) {
            nextAiring();
        }
        LivePlaylist before = playlist();
        playout.close();
        clock.advance(Duration.ofHours(3));
        startPlayout();

        LivePlaylist after = playlist();
        assertThat(after.mediaSequence()).isGreaterThan(before.mediaSequence());
        assertThat(after.last().discontinuity()).isTrue();
        assertThat(after.last().programDateTime())
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(clock.instant()));
        assertThat(after.entries().getFirst().discontinuity()).isFalse();
        assertThat(after.discontinuitySequence()).isZero();

        for (int i = 0; i < 6; i++) {
            nextAiring();
        }
        LivePlaylist later = playlist();
        assertThat(later.entries()).noneMatch(LivePlaylist.Entry::discontinuity);
        assertThat(later.discontinuitySequence()).isEqualTo(1);
    }

    @Test
    void theLivePlaylistSlidesWithoutEverGoingBack() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add(CH, "b", 128, T0.minusSeconds(50));
        catalog.add(CH, "c", 192, T0.minusSeconds(40));
        startPlayout();
        LivePlaylist previous = playlist();
        for (int step = 0; step < 200; step++) {
            clock.advance(Duration.ofMillis(700));
            LivePlaylist now = playlist();
            assertThat(now.targetDuration()).isEqualTo(2);
            assertThat(now.mediaSequence()).isGreaterThanOrEqualTo(previous.mediaSequence());
            assertThat(now.entries().size()).isLessThanOrEqualTo(ChannelPlayout.WINDOW);
            assertThat(now.entries().getFirst().discontinuity()).isFalse();
            assertThat(now.entries()).allSatisfy(e -> {
                assertThat(e.seconds()).isLessThanOrEqualTo(2.0);
                assertThat(e.name()).isEqualTo(e.sequence() + ".ts");
            });
            assertThat(now.entries().getFirst().programDateTime()).isNotNull();
            assertThat(now.text()).doesNotContain("#EXT-X-ENDLIST");
            // a segment, once listed, keeps its place
            for (LivePlaylist.Entry e : now.entries()) {
                previous.entries().stream()
                        .filter(p -> p.sequence() == e.sequence())
                        .findFirst()
                        .ifPresent(p -> assertThat(p.seconds()).isEqualTo(e.seconds()));
            }
            previous = now;
        }
        assertThat(previous.last().sequence()).isGreaterThan(60);
    }

    @Test
    void segmentsAreImmutableAndNamesThatAreNotPlainSequenceNumbersNeverResolve() throws Exception {
        catalog.add(CH, "a", 128, T0.minusSeconds(60));
        startPlayout();
        clock.advance(Duration.ofSeconds(5));
        LivePlaylist live = playlist();
        HlsResponse.Found segment =
                (HlsResponse.Found) playout.resolve(CH, live.last().name());
        assertThat(segment.contentType()).isEqualTo("video/mp2t");
        assertThat(segment.cacheControl()).contains("immutable");
        assertThat(((HlsResponse.Found) playout.resolve(CH, live.last().name())).body())
                .isEqualTo(segment.body());
        HlsResponse.Found list = (HlsResponse.Found) playout.resolve(CH, "live.m3u8");
        assertThat(list.cacheControl()).isEqualTo("public, max-age=1");

        List<String> hostile = List.of(
                "../latenttv.db",
                "..",
                "%2e%2e/%2e%2e/etc/passwd",
                "/etc/passwd",
                "0.ts/../../x",
                "..%2f0.ts",
                "0.ts\u0000",
                "\u0661.ts",
                "-1.ts",
                "1e3.ts",
                "0.TS",
                " 0.ts",
                "0.ts ",
                "99999999999999999999.ts",
                "../clips/news/a/hls/0.ts",
                "hls/0.ts",
                "0",
                ".ts",
                "",
                "live.m3u8/..",
                "C:\\0.ts",
                "0.ts%00");
        for (String name : hostile) {
            assertThat(playout.resolve(CH, name)).as(name).isInstanceOf(HlsResponse.NotFound.class);
        }
        assertThat(playout.resolve("../" + CH, "live.m3u8")).isInstanceOf(HlsResponse.NotFound.class);
        assertThat(playout.resolve(CH, "1000.ts")).as("not live yet").isInstanceOf(HlsResponse.NotFound.class);
    }

    @Test
    void unairedFreshSecondsCountsReadyClipsAndTheRestOfFreshAirings() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add(CH, "b", 128, T0.minusSeconds(50));
        startPlayout();
        assertThat(playout.unairedFreshSeconds(CH)).isCloseTo(8.0, org.assertj.core.data.Offset.offset(0.01));
        clock.advance(Duration.ofSeconds(1));
        assertThat(playout.unairedFreshSeconds(CH)).isCloseTo(7.0, org.assertj.core.data.Offset.offset(0.01));
        nextAiring();
        nextAiring();
        assertThat(playout.unairedFreshSeconds(CH)).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(playout.wantsMoreClips(CH)).isTrue();
    }

    @Test
    void listenersHearWhenTheAiringChanges() throws Exception {
        catalog.add(CH, "a", 64, T0.minusSeconds(60));
        catalog.add(CH, "b", 64, T0.minusSeconds(50));
        List<NowPlaying> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        playout = new Playout(
                db,
                catalog,
                HouseClips.ffmpeg(),
                dir.resolve("data"),
                List.of(PlayoutChannel.of(CH, "News", HouseClips.FORMAT)),
                clock);
        playout.addListener(heard::add);
        playout.start();
        waitFor(() -> heard.size() == 1);
        Optional<NowPlaying> upNext = playout.upNext(CH);
        nextAiring();
        waitFor(() -> heard.size() == 2);

        assertThat(heard).extracting(n -> n.clipId().orElseThrow()).containsExactly("a", "b");
        assertThat(upNext.orElseThrow().clipId()).contains("b");
        assertThat(heard.get(1).start()).isEqualTo(upNext.get().start());
    }

    @Test
    void severalChannelsKeepTheirOwnTimelines() throws Exception {
        catalog.add("one", "x", 64, T0);
        catalog.add("two", "y", 128, T0);
        playout = new Playout(
                db,
                catalog,
                HouseClips.ffmpeg(),
                dir.resolve("data"),
                List.of(
                        PlayoutChannel.of("one", "One", HouseClips.FORMAT),
                        PlayoutChannel.of("two", "Two", HouseClips.FORMAT)),
                clock);
        playout.start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(playout.nowPlaying("one").orElseThrow().clipId()).contains("x");
        assertThat(playout.nowPlaying("two").orElseThrow().clipId()).contains("y");
        assertThat(playout.nowPlaying("one").orElseThrow().start()).isEqualTo(T0.plusNanos(2_666_666_666L));
    }

    @Test
    void ffconcatListsTheLibraryInMasteringOrderWithSafeQuoting() throws Exception {
        AirableClip b = new AirableClip("b", CH, Path.of("/data/it's/b.mp4"), 128, "B", "", T0.plusSeconds(1), 2);
        AirableClip a = new AirableClip("a", CH, Path.of("/data/a.mp4"), 64, "A", "", T0, 1);
        assertThat(Ffconcat.render(List.of(b, a), HouseClips.FORMAT))
                .isEqualTo(
                        """
        ffconcat version 1.0
        file '/data/a.mp4'
        duration 2.666667
        file '/data/it'\\''s/b.mp4'
        duration 5.333333
        """);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
