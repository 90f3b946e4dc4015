package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.testing.PostgresServer;
import tv.latent.testing.SlowTest;

/**
 * Two nodes air one channel from one PostgreSQL database, with a push to a real RTMP server
 * (nginx-rtmp): only the node that writes the channel's timeline pushes, so the target gets one
 * stream from the whole cluster; when that node goes, the other takes the timeline and the push
 * over, and the server never sees two publishers at once.
 */
@SlowTest
class ClusterPushTest {
    private static final String KEY = "sk-live-cluster-0123";

    @TempDir
    Path dir;

    /** A condition that may read a file. */
    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!check.done()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static RtmpPusher pusher(Playout node) {
        return node.pushers("tv").getFirst();
    }

    /** How many streams nginx-rtmp accepted to publish (its log says "publish:" for each). */
    private static long publishes(RtmpServer server) throws Exception {
        Path log = server.dir.resolve("error.log");
        return Files.exists(log)
                ? Files.readAllLines(log).stream()
                        .filter(l -> l.contains("publish: name="))
                        .count()
                : 0;
    }

    @Test
    void onlyTheChannelsWriterPushesAndAnotherNodeTakesThePushOverWhenItGoes() throws Exception {
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 4; i++) {
            catalog.add("tv", "clip" + i, 64, Instant.now().minusSeconds(60 - i));
        }
        Database.Postgres shared = PostgresServer.shared().newDatabase();
        try (RtmpServer nginx = new RtmpServer.Nginx(dir.resolve("nginx"));
                Database dbA = Database.open(shared);
                Database dbB = Database.open(shared)) {
            nginx.start();
            PlayoutChannel config = new PlayoutChannel(
                    "tv", "TV", HouseClips.FORMAT, List.of(new PushTarget("nginx", nginx.url(), KEY)), 60);
            Playout a = new Playout(
                    dbA, catalog, HouseClips.ffmpeg(), dir.resolve("a"), List.of(config), InstantSource.system());
            Playout b = new Playout(
                    dbB, catalog, HouseClips.ffmpeg(), dir.resolve("b"), List.of(config), InstantSource.system());
            try {
                a.start();
                b.start();
                assertThat(a.writer("tv") ^ b.writer("tv"))
                        .as("exactly one node writes the channel")
                        .isTrue();
                Playout writer = a.writer("tv") ? a : b;
                Playout follower = writer == a ? b : a;
                await("the writer's push is up", () -> pusher(writer).status().up());
                Thread.sleep(6_000); // three segments more: the follower still does not push
                assertThat(pusher(follower).status().starts())
                        .as("the follower never started its push")
                        .isZero();
                assertThat(publishes(nginx)).as("streams the server took").isEqualTo(1);

                writer.close(); // the node goes: its session ends, and with it the channel's lock
                await("the other node writes the channel", () -> follower.writer("tv"));
                await("and pushes it", () -> pusher(follower).status().up());
                await("the server takes its stream", () -> publishes(nginx) >= 2);
                Thread.sleep(4_000); // and no other
                assertThat(publishes(nginx)).as("streams the server took").isEqualTo(2);
                String log = Files.readString(nginx.dir.resolve("error.log"));
                assertThat(log).as("two publishers at once").doesNotContain("already publishing");
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
