package tv.latent.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;

/**
 * Lookahead: keeps each channel's buffer of unaired fresh clips at its configured length, and
 * no longer. One virtual thread per channel checks every {@code tick}; when the channel's
 * {@link Demand} shows fewer fresh seconds than its {@code lookaheadSeconds}, it counts the shots
 * still in the pipeline, asks the channel's director for the difference (at most
 * {@link #MAX_BATCH} at a time) and submits them.
 *
 * <pre>{@code
 * try (Lookahead lookahead = new Lookahead(playout::unairedFreshSeconds, pipeline, jobs, directors, channels, Duration.ofSeconds(1))) {
 *   lookahead.start();
 * }
 * }</pre>
 *
 * <p>A director that fails is logged and asked again after a doubling pause (up to a minute).
 * Thread-safe; {@link #close()} is idempotent and bounded.
 */
public final class Lookahead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lookahead.class);
    static final int MAX_BATCH = 4;
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final Demand demand;
    private final Pipeline pipeline;
    private final JobStore jobs;
    private final java.util.function.Function<String, Director> directors;
    private final List<ChannelConfig> channels;
    private final Duration tick;
    private final BooleanSupplier paused;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /**
     * What a channel has ready: seconds of fresh (never aired) clips, including the unaired rest of
     * those on air. Called from the lookahead's threads: implementations must be thread-safe.
     */
    @FunctionalInterface
    public interface Demand {
        double unairedFreshSeconds(String channelId);
    }

    public Lookahead(
            Demand demand,
            Pipeline pipeline,
            JobStore jobs,
            java.util.function.Function<String, Director> directors,
            List<ChannelConfig> channels,
            Duration tick) {
        this(demand, pipeline, jobs, directors, channels, tick, () -> false);
    }

    /**
     * A lookahead that asks for no shot while {@code paused} says so (the disk guard: low on
     * space). {@code paused} must be cheap and thread-safe.
     */
    public Lookahead(
            Demand demand,
            Pipeline pipeline,
            JobStore jobs,
            java.util.function.Function<String, Director> directors,
            List<ChannelConfig> channels,
            Duration tick,
            BooleanSupplier paused) {
        this.paused = paused;
        this.demand = demand;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.directors = directors;
        this.channels = List.copyOf(channels);
        this.tick = tick;
    }

    public synchronized void start() {
        if (!threads.isEmpty() || closed) {
            return;
        }
        for (ChannelConfig channel : channels) {
            threads.add(Thread.ofVirtual().name("lookahead-" + channel.id()).start(() -> run(channel)));
        }
    }

    private void run(ChannelConfig channel) {
        Duration pause = tick;
        while (!closed) {
            try {
                feedOnce(channel);
                pause = tick;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
                LOG.warn(
                        "channel {}: could not plan more shots ({}); trying again in {} s",
                        channel.id(),
                        e.toString(),
                        pause.toSeconds());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Submits the shots the channel lacks, if any; returns how many. */
    int feedOnce(ChannelConfig channel) throws Exception {
        if (paused.getAsBoolean()) {
            return 0;
        }
        int wanted = shotsWanted(
                demand.unairedFreshSeconds(channel.id()),
                channel.lookaheadSeconds(),
                clipSeconds(channel),
                jobs.unfinished(channel.id()));
        if (wanted == 0) {
            return 0;
        }
        Director.ChannelBrief brief = new Director.ChannelBrief(
                channel.id(), channel.title(), channel.theme(), channel.style(), channel.musicMood());
        Director.Direction direction = directors
                .apply(channel.id())
                .plan(new Director.DirectorRequest(
                        brief,
                        jobs.recentPrompts(channel.id(), 50),
                        wanted,
                        ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE)));
        List<ShotPlan> shots =
                direction.shots().size() > wanted ? direction.shots().subList(0, wanted) : direction.shots();
        if (shots.isEmpty()) {
            return 0;
        }
        pipeline.submit(channel.id(), new Director.Direction(shots, direction.director(), direction.note()));
        LOG.info(
                "channel {}: {} s of fresh clips ready, {} more shots asked of the {} director",
                channel.id(),
                Math.round(demand.unairedFreshSeconds(channel.id())),
                shots.size(),
                direction.director());
        return shots.size();
    }

    /**
     * How many shots to ask for: enough that the fresh seconds plus the shots in progress fill the
     * lookahead, never more than {@link #MAX_BATCH} at once.
     */
    static int shotsWanted(double freshSeconds, int lookaheadSeconds, double clipSeconds, int unfinished) {
        double gap = lookaheadSeconds - freshSeconds;
        if (gap <= 0) {
            return 0;
        }
        int needed = (int) Math.ceil(gap / clipSeconds) - unfinished;
        return Math.max(0, Math.min(MAX_BATCH, needed));
    }

    /** The aired length of one of the channel's clips: the model's seconds slowed down, in whole join units. */
    static double clipSeconds(ChannelConfig channel) {
        return channel.format()
                .secondsFor(channel.format().masteredFrames(channel.model().seconds() * channel.slowMotion()));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
