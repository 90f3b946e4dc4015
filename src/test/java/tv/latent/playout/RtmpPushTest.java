package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.SlowTest;

/**
 * One channel pushed to two real RTMP servers at once (nginx-rtmp and node-media-server on
 * 127.0.0.1), read back with ffprobe across more than 20 clip joins; then each server is
 * stopped for 10 s and started again while the other keeps receiving.
 * Takes about two minutes of real time: clip joins happen at the wall clock's pace.
 */
@SlowTest
class RtmpPushTest {
    static final String KEY = "sk-live-0123456789";
    static final double CLIP_SECONDS = 64 / 24.0;

    @TempDir
    Path dir;

    @Test
    void pushesToNginxAndNodeMediaServerAcrossJoinsAndResumesAfterEachServerRestarts() throws Exception {
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 4; i++) {
            catalog.add("tv", "clip" + i, 64, Instant.now().minusSeconds(60 - i));
        }
        try (RtmpServer nginx = new RtmpServer.Nginx(dir.resolve("nginx"));
                RtmpServer nms = new RtmpServer.NodeMediaServer(dir.resolve("nms"));
                Database db = Database.open(dir.resolve("db"))) {
            nginx.start();
            nms.start();
            PlayoutChannel config = new PlayoutChannel(
                    "tv",
                    "TV",
                    HouseClips.FORMAT,
                    List.of(new PushTarget("nginx", nginx.url(), KEY), new PushTarget("nms", nms.url() + "/", KEY)),
                    60);
            try (Playout playout = new Playout(
                    db, catalog, HouseClips.ffmpeg(), dir.resolve("data"), List.of(config), InstantSource.system())) {
                playout.start();
                RtmpPusher toNginx = playout.pushers("tv").get(0);
                RtmpPusher toNms = playout.pushers("tv").get(1);
                assertThat(toNginx.mask("rtmp://127.0.0.1/live/" + KEY)).doesNotContain(KEY);
                Thread.sleep(4000);

                double seconds = 21 * CLIP_SECONDS + 1;
                CompletableFuture<Packets> fromNginx = read(nginx, seconds);
                CompletableFuture<Packets> fromNms = read(nms, seconds);
                for (Packets packets : List.of(fromNginx.get(), fromNms.get())) {
                    packets.assertStrictlyIncreasing();
                    long spanMs = packets.video().getLast()[1] - packets.video().getFirst()[1];
                    assertThat(spanMs)
                            .as("at least 20 joins read back")
                            .isGreaterThanOrEqualTo((long) (21 * CLIP_SECONDS * 1000) - 1000);
                }

                restartAndCheck(nginx, toNginx, nms, playout);
                restartAndCheck(nms, toNms, nginx, playout);
            }
        }
    }

    /** Stops {@code down} for 10 s while {@code other} keeps receiving, then checks the push to {@code down} resumes. */
    private void restartAndCheck(RtmpServer down, RtmpPusher pusher, RtmpServer other, Playout playout)
            throws Exception {
        down.stop();
        CompletableFuture<Packets> meanwhile = read(other, 8);
        Thread.sleep(10_000);
        meanwhile.get().assertStrictlyIncreasing();
        assertThat(playout.resolve("tv", "live.m3u8")).isInstanceOf(HlsResponse.Found.class);
        down.start();
        // the pusher reconnects by itself (1, 2, 4 … s backoff); read until its stream is back
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Packets resumed = null;
        while (System.nanoTime() < deadline) {
            Packets attempt = read(down, 8).get();
            if (attempt.video().size() > 24 * 5) {
                resumed = attempt;
                break;
            }
            Thread.sleep(500);
        }
        assertThat(resumed)
                .as(down.name() + ": the push resumed after the server came back")
                .isNotNull();
        resumed.assertStrictlyIncreasing();
        assertThat(resumed.video().getLast()[1] - resumed.video().getFirst()[1])
                .as(down.name() + " resumed")
                .isGreaterThan(5000);
        assertThat(pusher.starts()).isGreaterThan(1);
    }

    private static CompletableFuture<Packets> read(RtmpServer server, double seconds) {
        String url = server.url() + "/" + KEY;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return HlsJoinTest.probeEntries(
                        url,
                        "packet=codec_type,pts,dts",
                        "-rw_timeout",
                        "15000000",
                        "-read_intervals",
                        String.format(java.util.Locale.ROOT, "%%+%.1f", seconds));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
