package tv.latent.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tv.latent.config.LatentConfig;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.station.Station;
import tv.latent.testing.LargeLibrary;
import tv.latent.web.Stations;

/**
 * Hot-path cost against library size: the same station (no generation) over a library of 100
 * clips and over one of 100,000, one after the other in one JVM. For each: latency of the live
 * playlist, a channel's now-playing ({@code /api/channels/tv}) and the channel list
 * ({@code /api/channels}), median and p95 over {@code requests} sequential requests after a
 * warm-up; then the JVM's CPU seconds per aired hour while one viewer polls the playlist and
 * fetches every segment for {@code seconds}.
 *
 * <pre>bench/hot-path.sh [requests] [seconds]</pre>
 */
public final class HotPathBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Latency(double medianMs, double p95Ms) {}

    record Result(int clips, Latency playlist, Latency nowPlaying, Latency channels, double cpuPerAiredHour) {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path work = Files.createTempDirectory("latenttv-hotpath-");
        // a first station, measured and thrown away, warms the JIT for both that count
        measure(work.resolve("warm-up"), 100, requests, Math.min(seconds, 10));
        List<Result> results = new ArrayList<>();
        for (int clips : new int[] {100, 100_000}) {
            results.add(measure(work.resolve("lib-" + clips), clips, requests, seconds));
        }
        Result small = results.get(0);
        Result large = results.get(1);
        System.out.printf(Locale.ROOT, "| measure | %d clips | %d clips | ratio |%n", small.clips(), large.clips());
        System.out.println("|---|---|---|---|");
        row("playlist median ms", small.playlist().medianMs(), large.playlist().medianMs());
        row("playlist p95 ms", small.playlist().p95Ms(), large.playlist().p95Ms());
        row(
                "now playing median ms",
                small.nowPlaying().medianMs(),
                large.nowPlaying().medianMs());
        row("now playing p95 ms", small.nowPlaying().p95Ms(), large.nowPlaying().p95Ms());
        row(
                "/api/channels median ms",
                small.channels().medianMs(),
                large.channels().medianMs());
        row("/api/channels p95 ms", small.channels().p95Ms(), large.channels().p95Ms());
        row("JVM CPU s per aired hour", small.cpuPerAiredHour(), large.cpuPerAiredHour());
    }

    private static void row(String name, double small, double large) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, small, large, large / small);
    }

    private static Result measure(Path dir, int clips, int requests, int seconds) throws Exception {
        Files.createDirectories(dir);
        LatentConfig config = Stations.load(Stations.config(dir, ""), name -> null);
        DataLayout layout = new DataLayout(config.dataDir()).prepare();
        Path shared = layout.clip(Stations.CHANNEL, "shared");
        Path master = HouseClips.master(shared, 64, 440);
        Files.copy(master, shared.resolve("thumb.jpg"));
        try (Database db = Database.open(layout.database())) {
            LargeLibrary.seed(db, layout, Stations.CHANNEL, clips, 3, master);
        }
        try (Station station = Stations.airing(config, name -> null)) {
            String base = station.url();
            for (String path : List.of("/hls/tv/live.m3u8", "/api/channels/tv", "/api/channels")) {
                time(base + path, requests); // warm-up: JIT, caches, connections
            }
            Latency playlist = time(base + "/hls/tv/live.m3u8", requests);
            Latency nowPlaying = time(base + "/api/channels/tv", requests);
            Latency channels = time(base + "/api/channels", requests);
            double cpu = cpuWhileViewing(base, seconds);
            System.err.printf(Locale.ROOT, "%d clips measured%n", clips);
            return new Result(clips, playlist, nowPlaying, channels, cpu / seconds * 3600);
        }
    }

    private static Latency time(String url, int requests) throws Exception {
        List<Double> ms = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms.add((System.nanoTime() - t) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
        }
        Collections.sort(ms);
        return new Latency(ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1));
    }

    /** JVM CPU seconds while one viewer reloads the playlist every second and fetches each new segment. */
    private static double cpuWhileViewing(String base, int seconds) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long last = -1;
        while (System.nanoTime() < end) {
            String playlist = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/hls/tv/live.m3u8"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : playlist.lines().toList()) {
                if (line.endsWith(".ts") && Long.parseLong(line.substring(0, line.length() - 3)) > last) {
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/hls/tv/" + line))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    last = Long.parseLong(line.substring(0, line.length() - 3));
                }
            }
            Thread.sleep(1000);
        }
        return (os.getProcessCpuTime() - cpu0) / 1e9;
    }
}
