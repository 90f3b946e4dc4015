package tv.latent.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tv.latent.media.HouseFormat;
import tv.latent.playout.AirableClip;
import tv.latent.testing.TestMedia;

/** Shared by the playout benchmarks: house-format clips, an nginx-rtmp server, CPU clocks. */
final class BenchSupport {
    private BenchSupport() {}

    /** Masters {@code count} clips in {@code format} (testsrc2 + tone) under {@code dir}, once. */
    static List<AirableClip> clips(Path dir, HouseFormat format, String channel, int... frames)
            throws IOException, InterruptedException {
        List<AirableClip> out = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            Path master = dir.resolve("clip" + i).resolve("master.mp4");
            if (!Files.isRegularFile(master)) {
                Files.createDirectories(master.getParent());
                List<String> encoding = new ArrayList<>(format.encoderArguments());
                encoding.addAll(List.of("-movflags", "+faststart"));
                TestMedia.patternWithTone(master, format, frames[i], 220 * (i + 1), encoding);
            }
            out.add(new AirableClip(
                    "clip" + i,
                    channel,
                    master,
                    frames[i],
                    "Clip " + i,
                    "benchmark clip " + i,
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i),
                    i + 1));
        }
        return out;
    }

    /** CPU time of this JVM. */
    static Duration jvmCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return Duration.ofNanos(os.getProcessCpuTime());
    }

    /** CPU time of a live process and its descendants, from /proc (ticks of 10 ms). */
    static Duration processTreeCpu(long pid) throws IOException {
        long ticks = 0;
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            Path stat = Path.of("/proc", String.valueOf(p), "stat");
            if (!Files.exists(stat)) {
                continue;
            }
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        }
        return Duration.ofMillis(ticks * 10);
    }

    /** CPU ticks (10 ms) per thread name of this JVM and user or system time, from /proc/self/task. */
    static java.util.Map<String, Long> threadTicks() throws IOException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String text = Files.readString(task.resolve("stat"));
                    String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                    out.merge(name + " user", Long.parseLong(f[11]), Long::sum);
                    out.merge(name + " sys", Long.parseLong(f[12]), Long::sum);
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return out;
    }

    /** The threads that used the most CPU between two {@link #threadTicks()} readings. */
    static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .map(e -> e.getKey() + " " + (e.getValue() * 10) + " ms")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * CPU time of this JVM's child processes (the pushers' ffmpeg) except {@code exclude} (the
     * bench's own nginx, which receives both sides' streams and is part of neither).
     */
    static Duration childrenCpu(long exclude) throws IOException {
        Duration total = Duration.ZERO;
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            if (child.pid() != exclude) {
                total = total.plus(processTreeCpu(child.pid()));
            }
        }
        return total;
    }

    /** nginx with the RTMP module on a free loopback port, until closed. */
    static final class Nginx implements AutoCloseable {
        final int port;
        private final Process process;

        Nginx(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(
                    conf,
                    """
          load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
          daemon off;
          worker_processes 1;
          pid %s;
          error_log %s warn;
          events { worker_connections 64; }
          rtmp { server { listen 127.0.0.1:%d; application live { live on; record off; } } }
          """
                            .formatted(dir.resolve("nginx.pid"), dir.resolve("error.log"), port));
            process = new ProcessBuilder(
                            "/usr/sbin/nginx",
                            "-p",
                            dir.toString(),
                            "-e",
                            dir.resolve("error.log").toString(),
                            "-c",
                            conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.log").toFile())
                    .start();
            for (int i = 0; i < 100; i++) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    if (probe.isConnected()) {
                        return;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("nginx did not start; apt-get install -y nginx libnginx-mod-rtmp");
        }

        long pid() {
            return process.pid();
        }

        String url() {
            return "rtmp://127.0.0.1:" + port + "/live";
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
