package tv.latent.playout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTMP server on 127.0.0.1 for push tests, started and stopped by the test: nginx with
 * Debian's RTMP module, or node-media-server from npm. Missing tools fail the test with the
 * command that installs them.
 */
abstract class RtmpServer implements AutoCloseable {
    final int port;
    final Path dir;
    private Process process;

    RtmpServer(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    abstract List<String> command() throws IOException, InterruptedException;

    abstract String name();

    String url() {
        return "rtmp://127.0.0.1:" + port + "/live";
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name() + " exited at start: " + Files.readString(dir.resolve("server.log")));
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                if (probe.isConnected()) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name() + " did not listen on " + port + " within 15 s");
    }

    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        process = null;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** nginx with libnginx-mod-rtmp, one worker, everything under the test's directory. */
    static final class Nginx extends RtmpServer {
        static final Path NGINX = Path.of("/usr/sbin/nginx");
        static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

        Nginx(Path dir) throws IOException {
            super(dir);
        }

        @Override
        String name() {
            return "nginx-rtmp";
        }

        @Override
        List<String> command() throws IOException {
            if (!Files.isExecutable(NGINX) || !Files.isRegularFile(MODULE)) {
                throw new IllegalStateException("nginx with the RTMP module is needed for this test: "
                        + "apt-get update && apt-get install -y nginx libnginx-mod-rtmp");
            }
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(
                    conf,
                    """
          load_module %s;
          daemon off;
          worker_processes 1;
          pid %s;
          error_log %s info;
          events { worker_connections 64; }
          rtmp {
            server {
              listen 127.0.0.1:%d;
              chunk_size 4096;
              application live { live on; record off; }
            }
          }
          """
                            .formatted(MODULE, dir.resolve("nginx.pid"), dir.resolve("error.log"), port),
                    StandardCharsets.UTF_8);
            return List.of(
                    NGINX.toString(),
                    "-p",
                    dir.toString(),
                    "-e",
                    dir.resolve("error.log").toString(),
                    "-c",
                    conf.toString());
        }
    }

    /** node-media-server 4 (RTMP only), installed from tools/package.json with npm ci (the launcher's test command does that first). */
    static final class NodeMediaServer extends RtmpServer {
        static final Path TOOLS = Path.of("tools").toAbsolutePath();

        NodeMediaServer(Path dir) throws IOException {
            super(dir);
        }

        @Override
        String name() {
            return "node-media-server";
        }

        @Override
        List<String> command() throws IOException, InterruptedException {
            install();
            return List.of(
                    "node",
                    TOOLS.resolve("rtmp-server.js").toString(),
                    String.valueOf(port),
                    dir.resolve("nms-data").toString());
        }

        private static synchronized void install() throws IOException, InterruptedException {
            if (Files.isDirectory(TOOLS.resolve("node_modules/node-media-server"))) {
                return;
            }
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                        .directory(TOOLS.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "node and npm are needed for this test: apt-get install -y nodejs npm", e);
            }
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + TOOLS + " failed; run it by hand to see why");
            }
        }
    }
}
