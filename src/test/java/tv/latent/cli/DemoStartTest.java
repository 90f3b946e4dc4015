package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;

/**
 * {@code latenttv demo} as a real process on an empty data directory: it prints the watch URL
 * and serves the first segment within 30 s of the command (the acceptance figure), then stops
 * cleanly on SIGTERM.
 */
class DemoStartTest {
    private static final Pattern WATCH = Pattern.compile("Watch: (http://127\\.0\\.0\\.1:\\d+)/watch/demo");

    @TempDir
    Path dir;

    @Test
    @SlowTest
    void demoServesItsFirstSegmentWithinThirtySecondsOnAnEmptyLibrary() throws Exception {
        Path log = dir.resolve("demo.log");
        long started = System.nanoTime();
        Process demo = new ProcessBuilder(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "tv.latent.cli.Main",
                        "demo",
                        "--port",
                        "0",
                        "--data",
                        dir.resolve("data").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            String base = null;
            double firstSegment = -1;
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40) && demo.isAlive()) {
                if (base == null) {
                    Matcher m = WATCH.matcher(Files.readString(log));
                    base = m.find() ? m.group(1) : null;
                }
                if (base != null) {
                    HttpResponse<String> playlist = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/hls/demo/live.m3u8"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    String segment = playlist.statusCode() == 200
                            ? playlist.body()
                                    .lines()
                                    .filter(l -> l.endsWith(".ts"))
                                    .findFirst()
                                    .orElse(null)
                            : null;
                    if (segment != null
                            && http.send(
                                                    HttpRequest.newBuilder(URI.create(base + "/hls/demo/" + segment))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofByteArray())
                                            .statusCode()
                                    == 200) {
                        firstSegment = (System.nanoTime() - started) / 1e9;
                        break;
                    }
                }
                Thread.sleep(100);
            }
            System.out.printf("demo: first segment served %.1f s after the command%n", firstSegment);
            assertThat(firstSegment).as(Files.readString(log)).isPositive().isLessThan(30);
        } finally {
            demo.destroy();
            boolean stopped = demo.waitFor(20, TimeUnit.SECONDS);
            if (!stopped) {
                demo.destroyForcibly().waitFor();
            }
            assertThat(stopped).as("stops within 20 s of SIGTERM").isTrue();
        }
    }

    @Test
    void saysClearlyWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = Main.run(
                    new String[] {
                        "demo",
                        "--port",
                        String.valueOf(taken.getLocalPort()),
                        "--data",
                        dir.resolve("data").toString()
                    },
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                    new java.io.PrintStream(err, true));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("127.0.0.1:" + taken.getLocalPort(), "in use", "--port 0");
        }
    }
}
