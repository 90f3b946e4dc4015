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
 * viewer: the station's own CPU (this JVM's process CPU time; the clients are curl processes, so
 * their work is not counted) while {@code viewers} clients watch one channel for {@code seconds},
 * less the station's CPU over the same time with no viewer, per viewer-hour; first as HLS viewers
 * (the live playlist every second, each new segment once), then as continuous TS readers.
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
            String hlsViewer =
                    """
                    end=$((SECONDS+%d)); seen=" "
                    while [ $SECONDS -lt $end ]; do
                      for s in $(curl -s %s/hls/tv/live.m3u8 | grep '\\.ts$'); do
                        case "$seen" in *" $s "*) ;; *) curl -s -o /dev/null %s/hls/tv/$s; seen="$seen$s ";; esac
                      done
                      sleep 1
                    done
                    """
                            .formatted(seconds, base, base);
            double hls = cpu(clients(viewers, List.of("bash", "-c", hlsViewer)), seconds);
            String ts = base + "/iptv/channel/tv.ts";
            double tsCpu = cpu(
                    clients(viewers, List.of("curl", "-s", "-N", "-o", "/dev/null", "--max-time", "" + seconds, ts)),
                    seconds);
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

    private static List<ProcessBuilder> clients(int count, List<String> command) {
        List<ProcessBuilder> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD));
        }
        return out;
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
