package tv.latent.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.config.ChannelConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.logging.Logging;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

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
 * <p>A director that fails is logged and asked again after a backoff (up to a minute). A channel
 * whose shots keep failing is asked for one shot at a time after a growing backoff
 * ({@link #FAILING}), so a dead backend costs a bounded number of calls; its channel airs reruns
 * (or the slate) meanwhile, and {@link #generation} says so.
 * Thread-safe; {@link #close()} is idempotent and bounded.
 */
public final class Lookahead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lookahead.class);
    public static final int MAX_BATCH = 4;
    /** Backoff of a director that cannot plan (an LLM that is down falls back on its own; this is what is left). */
    private static final Backoff PLANNING_FAILED = Backoff.of(Duration.ofSeconds(2), Duration.ofMinutes(1));

    private final Demand demand;
    private final Pipeline pipeline;
    private final JobStore jobs;
    private final java.util.function.Function<String, Director> directors;
    private final List<ChannelConfig> channels;
    private final Duration tick;
    private final BooleanSupplier paused;
    private final java.util.function.Predicate<String> decides;
    private final List<Thread> threads = new ArrayList<>();
    private final MonotonicClock monotonic = MonotonicClock.system();
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Backoff of a channel whose shots keep failing: from the first failed job on, the lookahead
     * asks for one shot at a time, and waits 15 s, 30 s, 1 min … up to 15 min between asks; the
     * first clip mastered ends it. With {@code maxAttempts} tries per stage, a dead backend then
     * gets at most {@code 4 × maxAttempts × calls per try} calls per hour from one channel.
     */
    static final Backoff FAILING = Backoff.of(Duration.ofSeconds(15), Duration.ofMinutes(15));

    /** Consecutive failed jobs of a channel, the latest reason, and when it may ask again. */
    private record Failing(int jobs, String lastError, long nextAskNanos) {}

    /**
     * How a channel's generation goes, for the API and metrics.
     *
     * @param failedInARow jobs failed since the last clip mastered (0: generating normally)
     * @param lastError the latest failure's reason, empty when none
     * @param nextAskIn when the lookahead asks for a shot again, while failing
     */
    public record Generation(int failedInARow, String lastError, Optional<Duration> nextAskIn) {
        public boolean failing() {
            return failedInARow > 0;
        }
    }

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
        this(demand, pipeline, jobs, directors, channels, tick, paused, channelId -> true);
    }

    /**
     * A lookahead among several nodes: it asks for shots only for the channels whose scheduler
     * runs on this node ({@code decides}: the channel's writer), so a channel's shots are asked for
     * once in the cluster, while every node's pipeline runs them. {@code decides} must be cheap and
     * thread-safe.
     */
    public Lookahead(
            Demand demand,
            Pipeline pipeline,
            JobStore jobs,
            java.util.function.Function<String, Director> directors,
            List<ChannelConfig> channels,
            Duration tick,
            BooleanSupplier paused,
            java.util.function.Predicate<String> decides) {
        this.decides = decides;
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
        pipeline.addListener(new PipelineListener() {
            @Override
            public void changed(ShotJob job) {
                heard(job);
            }
        });
        for (ChannelConfig channel : channels) {
            threads.add(Thread.ofVirtual().name("lookahead-" + channel.id()).start(() -> run(channel)));
        }
    }

    /** A job of a channel ended: a failure starts or grows the channel's backoff, a clip ends it. */
    void heard(ShotJob job) {
        if (job.state() == JobState.MASTERED) {
            Failing was = failing.remove(job.channelId());
            if (was != null) {
                LOG.info("channel {}: a clip was mastered again; generation is back to normal", job.channelId());
            }
        } else if (job.state() == JobState.FAILED) {
            failing.compute(job.channelId(), (id, was) -> {
                int jobs = was == null ? 1 : was.jobs() + 1;
                Duration wait = FAILING.delay(jobs);
                LOG.warn(
                        "channel {}: {} shot{} failed in a row; asking for one more in {} s (reruns air meanwhile): {}",
                        id,
                        jobs,
                        jobs == 1 ? "" : "s",
                        wait.toSeconds(),
                        job.lastError());
                return new Failing(jobs, job.lastError(), monotonic.nanos() + wait.toNanos());
            });
        }
    }

    /** How the channel's generation goes. Thread-safe. */
    public Generation generation(String channelId) {
        Failing f = failing.get(channelId);
        if (f == null) {
            return new Generation(0, "", Optional.empty());
        }
        long left = Math.max(0, f.nextAskNanos() - monotonic.nanos());
        return new Generation(f.jobs(), f.lastError(), Optional.of(Duration.ofNanos(left)));
    }

    private void run(ChannelConfig channel) {
        MDC.put(Logging.CHANNEL, channel.id());
        int failures = 0;
        while (!closed) {
            Duration pause = tick;
            try {
                feedOnce(channel);
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                pause = PLANNING_FAILED.delay(failures);
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
        if (paused.getAsBoolean() || !decides.test(channel.id())) {
            return 0;
        }
        Failing f = failing.get(channel.id());
        if (f != null && monotonic.nanos() - f.nextAskNanos() < 0) {
            return 0; // its shots keep failing: wait out the backoff, spend nothing
        }
        int unfinished = jobs.unfinished(channel.id());
        int wanted = shotsWanted(
                demand.unairedFreshSeconds(channel.id()), channel.lookaheadSeconds(), clipSeconds(channel), unfinished);
        // never more shots in the making than the pipeline can work on: the rest would only wait,
        // written against a history that moves on (and, on a paid backend, be spent on shots bought too early)
        int inFlightCap = Math.max(MAX_BATCH, 2 * pipeline.maxConcurrentJobs());
        wanted = Math.min(wanted, Math.max(0, inFlightCap - unfinished));
        if (f != null) {
            wanted = Math.min(wanted, 1); // one probe at a time until a clip is mastered again
        }
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
