package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.media.TsPackets;

/**
 * A segment found truncated on disk (a crash in the middle of a copy, a full disk, a bad sector)
 * is never served and never answered with a server error: the clip is cut again once and serves
 * again; broken a second time, it no longer airs.
 */
class BrokenSegmentTest {
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

    private static void truncate(Path segment) throws Exception {
        byte[] bytes = Files.readAllBytes(segment);
        Files.write(
                segment, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 7), StandardOpenOption.TRUNCATE_EXISTING);
    }

    private HlsResponse awaitSegment(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HlsResponse response = playout.segment(CH, name);
        while (!(response instanceof HlsResponse.Found) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = playout.segment(CH, name);
        }
        return response;
    }

    @Test
    void aTruncatedSegmentIsCutAgainOnceThenTheClipIsSkipped() throws Exception {
        AirableClip first = catalog.add(CH, "first", 192, T0.minusSeconds(60)); // 4 segments: 2 + 2 + 2 + 2 s
        catalog.add(CH, "second", 64, T0.minusSeconds(50));
        playout = new Playout(
                db,
                catalog,
                HouseClips.ffmpeg(),
                dir.resolve("data"),
                List.of(PlayoutChannel.of(CH, "News", HouseClips.FORMAT)),
                clock);
        playout.start();
        assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("first");
        Path hls = first.master().resolveSibling("hls");

        truncate(hls.resolve("2.ts"));
        clock.advance(Duration.ofMillis(4100)); // segment 2 of "first" is live
        HlsResponse broken = playout.segment(CH, "2.ts");

        assertThat(broken).isInstanceOf(HlsResponse.NotFound.class);
        HlsResponse repaired = awaitSegment("2.ts");
        assertThat(repaired).as("cut again and served").isInstanceOf(HlsResponse.Found.class);
        byte[] bytes = ((HlsResponse.Found) repaired).body();
        assertThat(bytes.length % TsPackets.PACKET).isZero();
        assertThat(Files.size(hls.resolve("2.ts"))).isEqualTo(bytes.length);

        truncate(hls.resolve("3.ts"));
        clock.advance(Duration.ofMillis(2000)); // segment 3 is live: broken a second time
        assertThat(playout.segment(CH, "3.ts")).isInstanceOf(HlsResponse.NotFound.class);
        // from now on the clip no longer airs: the following airings are "second" only
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean skipped = false;
        while (!skipped && System.nanoTime() < deadline) {
            Thread.sleep(50);
            skipped = db.read(c -> {
                try (var s = c.prepareStatement("SELECT state, reason FROM playout_clip WHERE clip_id = 'first'")) {
                    try (var r = s.executeQuery()) {
                        return r.next()
                                && r.getString(1).equals("SKIPPED")
                                && !r.getString(2).isEmpty();
                    }
                }
            });
        }
        assertThat(skipped).as("the clip broken twice is skipped with a reason").isTrue();
        for (int i = 0; i < 3; i++) {
            clock.set(playout.nowPlaying(CH).orElseThrow().end().plusMillis(1));
            assertThat(playout.nowPlaying(CH).orElseThrow().clipId()).contains("second");
        }
    }
}
