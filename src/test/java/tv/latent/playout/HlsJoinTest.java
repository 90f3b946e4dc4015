package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

/**
 * ffmpeg reads what playout serves across many clip joins.
 *
 * <p>The long run (over 100 joins) steps a fake clock and gathers every segment the live
 * playlist lists into a VOD snapshot of the same timeline and segment code, because ffmpeg
 * reads a live playlist at real-time pace (100 joins would take minutes). The short run reads
 * the real live playlist over HTTP with the real clock.
 */
@SlowTest
class HlsJoinTest {
    static final long FRAME = 3750;
    static final long AAC_FRAME = 1920;

    @TempDir
    Path dir;

    @Test
    void ffmpegReadsOverAHundredJoinsWithoutErrorGapOrDrift() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z"));
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        TreeMap<Long, LivePlaylist.Entry> listed = new TreeMap<>();
        Set<Instant> airings = new HashSet<>();
        try (Database db = Database.open(dir.resolve("db"));
                Playout playout = new Playout(
                        db,
                        catalog,
                        HouseClips.ffmpeg(),
                        dir.resolve("data"),
                        List.of(PlayoutChannel.of("news", "News", HouseClips.FORMAT)),
                        clock)) {
            playout.start(); // the library is empty: the slate airs first
            int[] lengths = {64, 128, 192, 64};
            for (int i = 0; i < 6; i++) {
                catalog.add("news", "clip" + i, lengths[i % lengths.length], clock.instant());
            }
            while (airings.size() < 102) {
                clock.advance(Duration.ofMillis(1000));
                airings.add(playout.nowPlaying("news").orElseThrow().start());
                for (LivePlaylist.Entry e :
                        LivePlaylist.parse(playout.playlist("news")).entries()) {
                    LivePlaylist.Entry before = listed.putIfAbsent(e.sequence(), e);
                    assertThat(before == null || before.seconds() == e.seconds())
                            .isTrue();
                }
            }
            StringBuilder vod = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                    + "#EXT-X-MEDIA-SEQUENCE:" + listed.firstKey() + "\n#EXT-X-PLAYLIST-TYPE:VOD\n");
            for (LivePlaylist.Entry e : listed.values()) {
                assertThat(e.discontinuity())
                        .as("no discontinuity while the channel runs")
                        .isFalse();
                HlsResponse.Found segment = (HlsResponse.Found) playout.segment("news", e.name());
                Files.write(dir.resolve(e.name()), segment.body());
                vod.append(String.format(Locale.ROOT, "#EXTINF:%.3f,\n%s\n", e.seconds(), e.name()));
            }
            vod.append("#EXT-X-ENDLIST\n");
            Files.writeString(dir.resolve("snapshot.m3u8"), vod.toString());
        }
        assertThat(listed.lastKey() - listed.firstKey() + 1)
                .as("no segment missing")
                .isEqualTo(listed.size());

        Path snapshot = dir.resolve("snapshot.m3u8");
        String decodeErrors = ffmpeg(List.of("-v", "warning", "-i", snapshot.toString(), "-f", "null", "-"));
        assertThat(decodeErrors).as("ffmpeg decoding the snapshot").isEmpty();
        Packets packets = probe(snapshot.toString());
        packets.assertStrictlyIncreasing().assertAudioGapless(AAC_FRAME).assertVideoGapless(FRAME);
        assertThat(packets.startOffset()).isZero();
        Instant epoch = airings.stream().min(Instant::compareTo).orElseThrow();
        List<Long> joins = airings.stream()
                .map(a -> ChannelPlayout.BASE_PTS
                        + Math.round(Duration.between(epoch, a).toNanos() * 9 / 100_000.0))
                .filter(packets::covers)
                .sorted()
                .toList();
        assertThat(joins).hasSizeGreaterThanOrEqualTo(100);
        for (long join : joins) {
            assertThat(packets.offsetAtJoin(join))
                    .as("A/V offset at the join at %d", join)
                    .isEqualTo(packets.startOffset());
        }
    }

    @Test
    void ffmpegReadsTheLivePlaylistOverHttpAcrossJoins() throws Exception {
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 3; i++) {
            catalog.add("live", "clip" + i, 64, Instant.now().minusSeconds(10 - i));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (Database db = Database.open(dir.resolve("db"));
                Playout playout = new Playout(
                        db,
                        catalog,
                        HouseClips.ffmpeg(),
                        dir.resolve("data"),
                        List.of(PlayoutChannel.of("live", "Live", HouseClips.FORMAT)),
                        InstantSource.system())) {
            playout.start();
            Instant epoch = playout.nowPlaying("live").orElseThrow().start();
            server.createContext("/live/", exchange -> {
                String name = exchange.getRequestURI().getRawPath().substring("/live/".length());
                try {
                    HlsResponse response = playout.resolve("live", name);
                    if (response instanceof HlsResponse.Found found) {
                        exchange.getResponseHeaders().set("Content-Type", found.contentType());
                        exchange.getResponseHeaders().set("Cache-Control", found.cacheControl());
                        exchange.sendResponseHeaders(200, found.body().length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(found.body());
                        }
                    } else {
                        exchange.sendResponseHeaders(404, -1);
                    }
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            Thread.sleep(6000); // let a few segments go live so the player starts a window back
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live/live.m3u8";
            Packets packets = probe(url, "-read_intervals", "%+12");
            packets.assertStrictlyIncreasing().assertAudioGapless(AAC_FRAME).assertVideoGapless(FRAME);
            long span = packets.video().getLast()[1] - packets.video().getFirst()[1];
            assertThat(span).as("read at least 4 clip joins' worth").isGreaterThan(4 * 64 * FRAME);
            long firstJoin =
                    ChannelPlayout.BASE_PTS + Duration.between(epoch, epoch).toNanos();
            List<Long> joins = new ArrayList<>();
            for (long join = firstJoin; join < packets.video().getLast()[0]; join += 64 * FRAME) {
                if (packets.covers(join)) {
                    joins.add(join);
                }
            }
            assertThat(joins)
                    .as(
                            "joins in video from %d to %d",
                            packets.video().getFirst()[0], packets.video().getLast()[0])
                    .hasSizeGreaterThanOrEqualTo(3);
            for (long join : joins) {
                assertThat(Math.abs(packets.offsetAtJoin(join) - packets.offsetAtJoin(joins.getFirst())))
                        .isLessThanOrEqualTo(FRAME);
            }
        } finally {
            server.stop(0);
        }
    }

    static Packets probe(String input, String... options) throws IOException, InterruptedException {
        return probeEntries(input, "packet=stream_index,pts,dts", options);
    }

    static Packets probeEntries(String input, String entries, String... options)
            throws IOException, InterruptedException {
        return Packets.parse(TestMedia.packets(input, entries, options), 0);
    }

    static String ffmpeg(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }
}
