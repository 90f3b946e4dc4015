package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/** A generating station on a disk below its guard's threshold: it airs its library, makes nothing, and says why. */
@SlowTest
class LowDiskStationTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aStationLowOnDiskAirsItsLibraryAndSaysWhyItMakesNothing() throws Exception {
        // no disk here has a petabyte free: the guard pauses generation from the start
        LatentConfig config = Stations.load(Stations.config(dir, "diskGuard: {minFreeGb: 1000000}\n"), name -> null);
        Stations.fillLibrary(config, 2);

        try (Station station =
                Station.start(config, new Station.Options(0, true, name -> null, Duration.ofSeconds(1)))) {
            assertThat(station.generationPaused()).hasValueSatisfying(why -> assertThat(why)
                    .startsWith("low disk space: ")
                    .contains("at least 1000000.00 GB needed")
                    .doesNotContain(dir.toString()));
            assertThat(station.diskGuard().paused()).isTrue();
            assertThat(station.diskGuard().bytesFree()).isPositive();

            assertThat(get(station, "/api/channels")).contains("\"generationPaused\":\"low disk space: ");
            assertThat(get(station, "/api/clips")).contains("\"kept\":false");
            assertThat(get(station, "/hls/tv/live.m3u8")).contains("#EXTINF");
            assertThat(station.jobs().list(null, 10)).allSatisfy(job -> assertThat(job.channelId())
                    .isEqualTo(Stations.CHANNEL)); // only the library's own mastered jobs
            assertThat(station.jobs().unfinished(Stations.CHANNEL)).isZero();
        }
    }

    private static String get(Station station, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(station.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
