package tv.latent.station;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.playout.AirableClip;
import tv.latent.playout.ClipCatalog;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;

/**
 * A process whose channel thread meets an {@link OutOfMemoryError} a few rounds after it starts
 * (the library's answer runs out of memory), with the station's fatal-error handling installed as
 * {@code latenttv} installs it. Run by {@link ErrorInLoopTest} as a child JVM.
 */
public final class ErrorInLoopMain {
    private ErrorInLoopMain() {}

    public static void main(String[] args) throws Exception {
        Fatal.exitOnErrors();
        Path dir = Path.of(args[0]);
        AtomicInteger rounds = new AtomicInteger();
        ClipCatalog failing = new ClipCatalog() {
            @Override
            public List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
                if (rounds.incrementAndGet() > 3) {
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }
                return List.of();
            }

            @Override
            public Optional<AirableClip> find(String clipId) {
                return Optional.empty();
            }
        };
        Database db = Database.open(dir.resolve("latenttv.db"));
        Playout playout = new Playout(
                db,
                failing,
                HouseClips.ffmpeg(),
                dir,
                List.of(PlayoutChannel.of("tv", "TV", HouseClips.FORMAT)),
                InstantSource.system());
        playout.start();
        System.out.println("started");
        while (true) {
            playout.clipsArrived("tv"); // one more round of the channel thread
            Thread.sleep(200);
        }
    }
}
