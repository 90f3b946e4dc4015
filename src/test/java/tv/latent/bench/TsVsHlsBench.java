package tv.latent.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;
import tv.latent.web.Stations;

/**
 * What a continuous MPEG-TS reader (a media center's tuner) costs the station next to an HLS
 * viewer: the station's own CPU (this JVM's process CPU time; the clients run in another JVM, so
 * their work is not counted) while {@code viewers} clients watch one channel for {@code seconds},
 * less the station's CPU over the same time with no viewer, per viewer-hour; first as HLS viewers
 * (the live playlist every second and each new segment once, over kept-alive connections, as a
 * player does), then as continuous TS readers.
 *
 * <pre>bench/ts-vs-hls.sh [viewers] [seconds]</pre>
 */
public final class TsVsHlsBench {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path work = Files.createTempDirectory("latenttv-ts-vs-hls-");
        Path file = Stations.config(work, "iptv: {tunerCount: " + Math.max(viewers, 1) + "}\n");
        LatentConfig config = Stations.load(file, k -> null);
        Stations.fillLibrary(config, 12);
        try (Station station = Stations.airing(config, k -> null)) {
            String base = station.url();
            Thread.sleep(5_000); // past start-up
            double idle = cpu(List.of(), seconds);
            double hls = cpu(List.of(clients("hls", viewers, seconds, base)), seconds);
            double tsCpu = cpu(List.of(clients("ts", viewers, seconds, base)), seconds);
            double hlsPerHour = (hls - idle) / viewers / seconds * 3600;
            double tsPerHour = (tsCpu - idle) / viewers / seconds * 3600;
            System.out.printf(
                    Locale.ROOT,
                    "%d viewers, %d s each way; station CPU s: idle %.2f, HLS %.2f, TS %.2f%n",
                    viewers,
                    seconds,
                    idle,
                    hls,
                    tsCpu);
            System.out.println("| clients | station CPU s per viewer-hour |");
            System.out.println("|---|---:|");
            System.out.printf(Locale.ROOT, "| HLS viewers | %.2f |%n", hlsPerHour);
            System.out.printf(Locale.ROOT, "| continuous TS readers | %.2f |%n", tsPerHour);
            System.out.printf(Locale.ROOT, "| ratio TS / HLS | %.2f |%n", tsPerHour / hlsPerHour);
        }
    }

    /** The clients' JVM: {@code viewers} HLS viewers or TS readers of channel {@code tv} for {@code seconds}. */
    private static ProcessBuilder clients(String kind, int viewers, int seconds, String base) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        TsVsHlsBench.class.getName() + "$Clients",
                        kind,
                        Integer.toString(viewers),
                        Integer.toString(seconds),
                        base)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    /** Viewers in a JVM of their own, each on a virtual thread. */
    public static final class Clients {
        public static void main(String[] args) throws Exception {
            String kind = args[0];
            int viewers = Integer.parseInt(args[1]);
            long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
            String base = args[3];
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < viewers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (kind.equals("ts")) {
                            readTs(http, base, end);
                        } else {
                            watchHls(http, base, end);
                        }
                    } catch (Exception e) {
                        System.err.println(kind + " client: " + e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private static void readTs(java.net.http.HttpClient http, String base, long end) throws Exception {
            var body = http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/iptv/channel/tv.ts"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofInputStream())
                    .body();
            byte[] buffer = new byte[64 * 1024];
            try (body) {
                while (System.nanoTime() < end && body.read(buffer) >= 0) {
                    // a tuner reads on
                }
            }
        }

        private static void watchHls(java.net.http.HttpClient http, String base, long end) throws Exception {
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (System.nanoTime() < end) {
                String playlist = http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/hls/tv/live.m3u8"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                for (String line : playlist.split("\n")) {
                    if (line.endsWith(".ts") && seen.add(line)) {
                        http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/hls/tv/" + line))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding());
                    }
                }
                Thread.sleep(1000);
            }
        }
    }

    /** The station's CPU seconds while the clients run (or, with none, over {@code seconds}). */
    private static double cpu(List<ProcessBuilder> clients, int seconds) throws Exception {
        long before = OS.getProcessCpuTime();
        List<Process> running = new ArrayList<>();
        for (ProcessBuilder client : clients) {
            running.add(client.start());
        }
        if (running.isEmpty()) {
            Thread.sleep(seconds * 1000L);
        }
        for (Process p : running) {
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        return (OS.getProcessCpuTime() - before) / 1e9;
    }
}
