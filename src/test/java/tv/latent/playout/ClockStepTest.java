package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.SlowTest;
import tv.latent.time.MonotonicClock;

/**
 * The station's wall clock steps (NTP correcting a clock that ran an hour fast, a clock set a
 * day ahead, a small correction back) while a channel airs to HLS and pushes to a real RTMP
 * server: the media sequence never goes back, the playlist never empties, now-playing never
 * goes missing, and the pushed stream's timestamps keep rising through every step.
 */
@SlowTest
class ClockStepTest {
    private static final String KEY = "step-key";

    @TempDir
    Path dir;

    /** The system clock plus an offset the test steps, as {@code date -s} would. */
    static final class SteppableWall implements InstantSource {
        private volatile Duration offset = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        void step(Duration by) {
            offset = offset.plus(by);
        }
    }

    record Poll(long at, LivePlaylist playlist, boolean nowPlaying, Instant nowPlayingEnd, Instant wall) {}

    @Test
    void wallClockStepsNeverRewindOrEmptyTheChannelAndThePushRunsThrough() throws Exception {
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 4; i++) {
            catalog.add("tv", "clip" + i, 64, Instant.now().minusSeconds(60 - i));
        }
        SteppableWall wall = new SteppableWall();
        try (RtmpServer nginx = new RtmpServer.Nginx(dir.resolve("nginx"));
                Database db = Database.open(dir.resolve("db"))) {
            nginx.start();
            PlayoutChannel channel = new PlayoutChannel(
                    "tv", "TV", HouseClips.FORMAT, List.of(new PushTarget("nginx", nginx.url(), KEY)), 60);
            try (Playout playout = new Playout(
                    db,
                    catalog,
                    HouseClips.ffmpeg(),
                    dir.resolve("data"),
                    List.of(channel),
                    wall,
                    MonotonicClock.system())) {
                playout.start();
                Thread.sleep(4000); // the push connects
                CompletableFuture<Packets> pushed = read(nginx, 40);
                List<Poll> polls = new ArrayList<>();
                long t0 = System.nanoTime();
                List<Duration> steps = List.of(Duration.ofHours(-1), Duration.ofHours(24), Duration.ofMinutes(-5));
                int stepped = 0;
                while (System.nanoTime() - t0 < Duration.ofSeconds(40).toNanos()) {
                    long elapsed = (System.nanoTime() - t0) / 1_000_000;
                    if (stepped < steps.size() && elapsed > 8_000L * (stepped + 1)) {
                        wall.step(steps.get(stepped++));
                    }
                    var now = playout.nowPlaying("tv");
                    polls.add(new Poll(
                            elapsed,
                            LivePlaylist.parse(playout.playlist("tv")),
                            now.isPresent(),
                            now.map(NowPlaying::end).orElse(null),
                            wall.instant()));
                    Thread.sleep(250);
                }

                for (int i = 0; i < polls.size(); i++) {
                    Poll p = polls.get(i);
                    assertThat(p.playlist().entries())
                            .as("playlist at %d ms", p.at())
                            .isNotEmpty();
                    assertThat(p.nowPlaying())
                            .as("now playing at %d ms", p.at())
                            .isTrue();
                    if (i > 0) {
                        LivePlaylist before = polls.get(i - 1).playlist();
                        assertThat(p.playlist().mediaSequence())
                                .as("media sequence at %d ms", p.at())
                                .isGreaterThanOrEqualTo(before.mediaSequence());
                        assertThat(p.playlist().entries().getLast().sequence())
                                .isGreaterThanOrEqualTo(
                                        before.entries().getLast().sequence());
                    }
                }
                long discontinuities = polls.getLast().playlist().discontinuitySequence()
                        - polls.getFirst().playlist().discontinuitySequence();
                assertThat(discontinuities)
                        .as("at most one discontinuity per step")
                        .isLessThanOrEqualTo(3);
                assertThat(polls.getLast().playlist().entries().getLast().sequence()
                                - polls.getFirst()
                                        .playlist()
                                        .entries()
                                        .getLast()
                                        .sequence())
                        .as("airing went on: about one segment per 2 s")
                        .isGreaterThanOrEqualTo(15);
                // the instants shown follow the corrected wall clock once the channel has noticed the step
                Poll last = polls.getLast();
                assertThat(Duration.between(last.wall(), last.nowPlayingEnd()).abs())
                        .isLessThan(Duration.ofSeconds(10));

                Packets packets = pushed.get();
                packets.assertStrictlyIncreasing();
                assertThat(packets.video().getLast()[1] - packets.video().getFirst()[1])
                        .as("the push carried on through the steps")
                        .isGreaterThan(30_000);
            }
        }
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
                        String.format(Locale.ROOT, "%%+%.1f", seconds));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
