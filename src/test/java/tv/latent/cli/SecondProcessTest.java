package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;
import tv.latent.web.Stations;

/**
 * Two LatentTV processes on one data directory, as the README's "second origin" runs them: the
 * generating station keeps airing and making clips, the second serves byte-identical playlists,
 * a third generating station refuses to start in one line, and when the first is killed the
 * second takes the channel over without its media sequence going back.
 */
@SlowTest
class SecondProcessTest {
    private static final Pattern WATCH = Pattern.compile("Watch: (http://127\\.0\\.0\\.1:\\d+)/watch/tv");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process latenttv(Path config, Path log, String... args) throws Exception {
        Process p = LatentTvProcess.builder(config, log, args).start();
        started.add(p);
        return p;
    }

    private static String baseUrl(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = WATCH.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no watch URL in " + log + ":\n" + Files.readString(log));
    }

    /** A GET; a generous timeout: the machine running the suite may be loaded far beyond its cores. */
    private HttpResponse<String> get(String url) throws Exception {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e + "\n" + logs(), e);
        }
    }

    private String logs() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("first.log", "second.log")) {
            Path log = dir.resolve(name);
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                out.append("--- ").append(name).append(" (last lines)\n");
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void aSecondOriginServesTheSamePlaylistsAThirdStationRefusesAndTheSecondTakesOverAfterAKill() throws Exception {
        Path config = Stations.config(dir, "");
        Stations.fillLibrary(Stations.load(config, name -> null), 4);

        Process first = latenttv(config, dir.resolve("first.log"), "serve", "--port", "0");
        String one = baseUrl(dir.resolve("first.log"));
        Process second = latenttv(config, dir.resolve("second.log"), "serve", "--no-generate", "--port", "0");
        String two = baseUrl(dir.resolve("second.log"));

        int identical = 0;
        long lastOne = -1;
        long lastTwo = -1;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> a = get(one + "/hls/tv/live.m3u8");
            HttpResponse<String> b = get(two + "/hls/tv/live.m3u8");
            HttpResponse<String> again = get(one + "/hls/tv/live.m3u8");
            assertThat(List.of(a.statusCode(), b.statusCode(), again.statusCode()))
                    .as("both origins answer every playlist (see first.log, second.log)")
                    .containsOnly(200);
            assertThat(mediaSequence(a.body())).isGreaterThanOrEqualTo(lastOne);
            assertThat(mediaSequence(b.body())).isGreaterThanOrEqualTo(lastTwo);
            lastOne = mediaSequence(again.body());
            lastTwo = mediaSequence(b.body());
            if (a.body().equals(again.body())) {
                // the first origin's playlist did not change around the second's answer: they must agree
                assertThat(b.body()).as("the second origin's playlist").isEqualTo(a.body());
                identical++;
            }
            Thread.sleep(500);
        }
        assertThat(identical).as("polls that compared the two origins").isGreaterThan(20);

        Process third = latenttv(config, dir.resolve("third.log"), "serve", "--port", "0");
        assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(third.exitValue()).isEqualTo(2);
        String refusal = Files.readString(dir.resolve("third.log")).strip();
        assertThat(refusal.lines().filter(l -> l.startsWith("latenttv:")))
                .singleElement()
                .asString()
                .contains("another LatentTV process is making clips");

        String jobs = get(one + "/api/jobs?channel=tv&limit=200").body();
        assertThat(jobs).doesNotContain("changed by someone else").doesNotContain("UNIQUE constraint");

        first.destroyForcibly();
        first.waitFor(10, TimeUnit.SECONDS);
        long before = mediaSequence(get(two + "/hls/tv/live.m3u8").body());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long after = before;
        while (System.nanoTime() < deadline && after < before + 3) {
            HttpResponse<String> b = get(two + "/hls/tv/live.m3u8");
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(mediaSequence(b.body())).isGreaterThanOrEqualTo(after);
            after = mediaSequence(b.body());
            Thread.sleep(500);
        }
        assertThat(after)
                .as("the second origin took the channel over and it airs on")
                .isGreaterThanOrEqualTo(before + 3);
        assertThat(Files.readString(dir.resolve("second.log"))).contains("takes over");
        assertThat(second.isAlive()).isTrue();
    }
}
