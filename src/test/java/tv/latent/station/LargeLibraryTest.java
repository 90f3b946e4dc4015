package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.LargeLibrary;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * A station over 100,000 clips of history (a few days of one channel at the embedded rate,
 * months with real models) starts, airs the oldest fresh clip, and answers its viewers' playlist,
 * now-playing and channel list; what it reads for them does not grow with the library (see
 * LongHistoryTest and ClipLibraryPlansTest for the plans, bench/hot-path.sh for the figures).
 */
@SlowTest
class LargeLibraryTest {
    private static final int CLIPS = 100_000;

    @TempDir
    Path dir;

    @Test
    void aStationOverAHundredThousandClipsAirsTheOldestFreshClipAndAnswersItsViewers() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), name -> null);
        DataLayout layout = new DataLayout(config.dataDir()).prepare();
        Path shared = layout.clip(Stations.CHANNEL, "shared");
        Path master = HouseClips.master(shared, 64, 440);
        Files.copy(master, shared.resolve("thumb.jpg")); // any file: only its presence matters here
        try (Database db = Database.open(layout.database())) {
            LargeLibrary.seed(db, layout, Stations.CHANNEL, CLIPS, 3, master);
        }

        try (Station station = Stations.airing(config, name -> null)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = station.url();
            HttpResponse<String> channels = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/channels")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> playlist = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/hls/tv/live.m3u8"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(channels.statusCode()).isEqualTo(200);
            assertThat(channels.body()).contains(LargeLibrary.clipId(CLIPS - 3));
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body()).contains("#EXTINF");
            assertThat(station.playout()
                            .nowPlaying(Stations.CHANNEL)
                            .orElseThrow()
                            .clipId())
                    .contains(LargeLibrary.clipId(CLIPS - 3));
            assertThat(station.playout().unairedFreshSeconds(Stations.CHANNEL))
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo(3 * 64 / 24.0 + 0.01);
        }
    }
}
