package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.SlowTest;

/**
 * An RTMP target that accepts the TCP connection and never answers (a tarpit: a stalled ingest, a
 * firewall that swallows packets): the push leaves it and connects again within 15 s (and goes on
 * trying, with a growing wait), while HLS keeps serving and the push's status says what happened.
 */
@SlowTest
class RtmpTarpitTest {
    static final String KEY = "sk-live-0123456789";

    @TempDir
    Path dir;

    /** Accepts connections, reads nothing, answers nothing; remembers when each came. */
    static final class Tarpit implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();
        final List<Socket> held = new CopyOnWriteArrayList<>();
        final Thread acceptor = Thread.ofVirtual().start(this::accept);

        Tarpit() throws IOException {}

        private void accept() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    acceptedAtNanos.add(System.nanoTime());
                    held.add(socket);
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        String url() {
            return "rtmp://127.0.0.1:" + server.getLocalPort() + "/live";
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aTargetThatAcceptsAndNeverAnswersIsLeftAndReconnectedWithin15SecondsWhileHlsServes() throws Exception {
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 4; i++) {
            catalog.add("tv", "clip" + i, 64, Instant.now().minusSeconds(60 - i));
        }
        try (Tarpit tarpit = new Tarpit();
                Database db = Database.open(dir.resolve("db"))) {
            PlayoutChannel config = new PlayoutChannel(
                    "tv", "TV", HouseClips.FORMAT, List.of(new PushTarget("tarpit", tarpit.url(), KEY)), 60);
            try (Playout playout = new Playout(
                    db, catalog, HouseClips.ffmpeg(), dir.resolve("data"), List.of(config), InstantSource.system())) {
                playout.start();

                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (tarpit.acceptedAtNanos.size() < 2 && System.nanoTime() < deadline) {
                    assertThat(playout.resolve("tv", "live.m3u8"))
                            .as("HLS serves while the push is stuck")
                            .isInstanceOf(HlsResponse.Found.class);
                    Thread.sleep(250);
                }

                List<Long> accepted = List.copyOf(tarpit.acceptedAtNanos);
                assertThat(accepted).as("the push connected again").hasSizeGreaterThanOrEqualTo(2);
                assertThat(Duration.ofNanos(accepted.get(1) - accepted.get(0)))
                        .as("the stalled target was left and reconnected within 15 s")
                        .isLessThanOrEqualTo(Duration.ofSeconds(15));
                PushStatus status = playout.pushes("tv").getFirst();
                assertThat(status.target()).isEqualTo("tarpit");
                assertThat(status.reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(status.starts()).isEqualTo(status.reconnects() + 1);
                assertThat(status.lastError())
                        .hasValueSatisfying(why ->
                                assertThat(why).isNotBlank().doesNotContain(KEY).doesNotContain(tarpit.url()));
            }
        }
    }
}
