package tv.latent.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
import tv.latent.schedule.Showing;
import tv.latent.schedule.Slot;
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
 * <p>A channel with a programme schedule gets shots for the programme they will air in: the
 * lookahead estimates when each shot it asks for will air ({@link #airsAt}) and gives the
 * director that slot's theme, style and music mood (the channel's own outside every slot). A
 * batch that would straddle two programmes is cut at the change; the rest is asked for at the
 * next tick, with the next programme's brief.
 *
 * <p>A director that fails is logged and asked again after a backoff (up to a minute). A channel
 * whose shots keep failing is asked for one shot at a time after a growing backoff
 * ({@link #FAILING}), so a dead backend costs a bounded number of calls; its channel airs reruns
 * (or the slate) meanwhile, and {@link #generation} says so.
 *
 * <p>Channels come and go while it runs ({@link #put}, {@link #remove}): each channel's thread
 * reads the channel's configuration afresh at every tick, so a changed theme reaches the next
 * shots asked. An operator may {@link #pause} a channel: nothing is asked for it until resumed
 * (a cancelled job does not count as a failure either).
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
    /** The channels it feeds, by id; replaced whole (copy on write) under this object's lock. */
    private volatile Map<String, ChannelConfig> channels;

    private final Duration tick;
    private final BooleanSupplier paused;
    private final java.util.function.Predicate<String> decides;
    /** Channels an operator paused: nothing is asked of their directors. */
    private final java.util.Set<String> pausedChannels = ConcurrentHashMap.newKeySet();
    /** One thread per channel, while started; guarded by this. */
    private final Map<String, Thread> threads = new java.util.LinkedHashMap<>();

    private boolean started;
    private final MonotonicClock monotonic;
    private final InstantSource wall;
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    /** How long the channel's recent shots took from submission to master (a moving average). */
    private final Map<String, Duration> makeTime = new ConcurrentHashMap<>();

    /** The longest make time one job counts for: a job resumed after days down says nothing of the next. */
    static final Duration MAKE_TIME_CAP = Duration.ofHours(1);

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
        this(demand, pipeline, jobs, directors, channels, tick, paused, InstantSource.system());
    }

    /**
     * A lookahead that reads what airs when from {@code wall} (the programme schedules are in wall
     * time).
     */
    public Lookahead(
            Demand demand,
            Pipeline pipeline,
            JobStore jobs,
            java.util.function.Function<String, Director> directors,
            List<ChannelConfig> channels,
            Duration tick,
            BooleanSupplier paused,
            InstantSource wall) {
        this(demand, pipeline, jobs, directors, channels, tick, paused, wall, MonotonicClock.system());
    }

    /** A lookahead on the given clocks: {@code wall} for the schedules, {@code monotonic} for ticks and backoffs. */
    public Lookahead(
            Demand demand,
            Pipeline pipeline,
            JobStore jobs,
            java.util.function.Function<String, Director> directors,
            List<ChannelConfig> channels,
            Duration tick,
            BooleanSupplier paused,
            InstantSource wall,
            MonotonicClock monotonic) {
        this(demand, pipeline, jobs, directors, channels, tick, paused, wall, monotonic, channelId -> true);
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
            InstantSource wall,
            MonotonicClock monotonic,
            java.util.function.Predicate<String> decides) {
        this.decides = decides;
        this.wall = wall;
        this.monotonic = monotonic;
        this.paused = paused;
        this.demand = demand;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.directors = directors;
        Map<String, ChannelConfig> byId = new java.util.LinkedHashMap<>();
        channels.forEach(c -> byId.put(c.id(), c));
        this.channels = java.util.Collections.unmodifiableMap(byId);
        this.tick = tick;
    }

    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        pipeline.addListener(new PipelineListener() {
            @Override
            public void changed(ShotJob job) {
                heard(job);
            }
        });
        channels.keySet().forEach(this::startThread);
    }

    private void startThread(String channelId) {
        threads.put(channelId, Thread.ofVirtual().name("lookahead-" + channelId).start(() -> run(channelId)));
    }

    /**
     * Feeds a new channel from now on, or feeds a channel by its changed configuration (theme,
     * style, lookahead...): the next shots asked of its director follow it.
     */
    public void put(ChannelConfig channel) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Map<String, ChannelConfig> next = new java.util.LinkedHashMap<>(channels);
            boolean added = next.put(channel.id(), channel) == null;
            channels = java.util.Collections.unmodifiableMap(next);
            if (added && started) {
                startThread(channel.id());
            }
        }
    }

    /** Stops feeding a channel; its thread ends within the time of one director call. */
    public void remove(String channelId) {
        Thread thread;
        synchronized (this) {
            Map<String, ChannelConfig> next = new java.util.LinkedHashMap<>(channels);
            next.remove(channelId);
            channels = java.util.Collections.unmodifiableMap(next);
            thread = threads.remove(channelId);
        }
        failing.remove(channelId);
        pausedChannels.remove(channelId);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Pauses a channel's generation (no shot is asked for it; reruns air) or resumes it. */
    public void pause(String channelId, boolean pause) {
        if (pause) {
            pausedChannels.add(channelId);
        } else {
            pausedChannels.remove(channelId);
        }
    }

    /** Whether an operator paused the channel's generation. */
    public boolean paused(String channelId) {
        return pausedChannels.contains(channelId);
    }

    /** A job of a channel ended: a failure starts or grows the channel's backoff, a clip ends it. */
    void heard(ShotJob job) {
        if (job.cancelled()) {
            return; // an operator's decision, not a failing backend: no backoff
        }
        if (job.state() == JobState.MASTERED) {
            Duration took = Duration.between(job.createdAt(), job.updatedAt());
            if (!took.isNegative()) {
                Duration sample = took.compareTo(MAKE_TIME_CAP) > 0 ? MAKE_TIME_CAP : took;
                makeTime.merge(job.channelId(), sample, (before, now) -> before.multipliedBy(7)
                        .plus(now.multipliedBy(3))
                        .dividedBy(10));
            }
            Failing was = failing.remove(job.channelId());
            if (was != null) {
                LOG.info("channel {}: a clip was mastered again; generation is back to normal", job.channelId());
            }
        } else if (job.refused()) {
            // the model refused this prompt, not the backend its work: no backoff; the next round
            // finds the gap and the director writes another shot (the refused prompt among those to avoid)
            LOG.info("channel {}: shot refused ({}); the director writes another", job.channelId(), job.lastError());
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

    private void run(String channelId) {
        MDC.put(Logging.CHANNEL, channelId);
        int failures = 0;
        while (!closed) {
            ChannelConfig channel = channels.get(channelId);
            if (channel == null) {
                return; // removed
            }
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
                monotonic.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Submits the shots the channel lacks, if any; returns how many. */
    int feedOnce(ChannelConfig channel) throws Exception {
        if (paused.getAsBoolean() || pausedChannels.contains(channel.id()) || !decides.test(channel.id())) {
            return 0;
        }
        Failing f = failing.get(channel.id());
        if (f != null && monotonic.nanos() - f.nextAskNanos() < 0) {
            return 0; // its shots keep failing: wait out the backoff, spend nothing
        }
        int unfinished = jobs.unfinished(channel.id());
        double fresh = demand.unairedFreshSeconds(channel.id());
        double clipSeconds = clipSeconds(channel);
        int wanted = shotsWanted(fresh, channel.lookaheadSeconds(), clipSeconds, unfinished);
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
        Instant now = wall.instant();
        Duration making = makeTime.getOrDefault(channel.id(), Duration.ZERO);
        Showing programme = channel.schedule().showingAt(airsAt(now, fresh, unfinished, 0, clipSeconds, making));
        int sameProgramme = 1;
        while (sameProgramme < wanted
                && programme.contains(airsAt(now, fresh, unfinished, sameProgramme, clipSeconds, making))) {
            sameProgramme++;
        }
        wanted = sameProgramme;
        Director.ChannelBrief brief = brief(channel, programme.slot());
        Director.Direction direction = directors
                .apply(channel.id())
                .plan(new Director.DirectorRequest(
                        brief,
                        jobs.recentPrompts(channel.id(), 50),
                        wanted,
                        ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE),
                        channel.continuity()));
        List<ShotPlan> shots =
                direction.shots().size() > wanted ? direction.shots().subList(0, wanted) : direction.shots();
        if (shots.isEmpty()) {
            return 0;
        }
        pipeline.submit(channel.id(), new Director.Direction(shots, direction.director(), direction.note()));
        LOG.info(
                "channel {}: {} s of fresh clips ready, {} more shots asked of the {} director{}",
                channel.id(),
                Math.round(fresh),
                shots.size(),
                direction.director(),
                programme.slot().map(s -> " for '" + s.title() + "'").orElse(""));
        return shots.size();
    }

    /**
     * When the {@code k}-th shot asked for now (counting from 0) will air, about: after the fresh
     * material queued ahead of it (the unaired fresh seconds, the shots already in the making, and
     * the {@code k} asked before it in the same batch, since fresh clips air in the order they are
     * mastered), and never before it can be made ({@code making}: how long the channel's recent
     * shots took from submission to master, a moving average, zero before the first).
     */
    static Instant airsAt(
            Instant now, double freshSeconds, int unfinished, int k, double clipSeconds, Duration making) {
        double queued = freshSeconds + (unfinished + k) * clipSeconds;
        double seconds = Math.max(queued, making.toMillis() / 1000.0);
        return now.plusMillis(Math.round(seconds * 1000));
    }

    /** What the director is told of the channel for shots that air in {@code slot} (empty: the channel's own programme). */
    static Director.ChannelBrief brief(ChannelConfig channel, Optional<Slot> slot) {
        if (slot.isEmpty()) {
            return Briefs.of(channel);
        }
        Slot s = slot.get();
        return new Director.ChannelBrief(
                channel.id(),
                channel.title() + ": " + s.title(),
                s.theme(),
                s.style().isEmpty() ? channel.style() : s.style(),
                s.musicMood().isEmpty() ? channel.musicMood() : s.musicMood(),
                Briefs.narration(channel));
    }

    /** How long the channel's recent shots took from submission to master (zero before the first). */
    Duration makeTime(String channelId) {
        return makeTime.getOrDefault(channelId, Duration.ZERO);
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
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads.values());
        }
        all.forEach(Thread::interrupt);
        for (Thread t : all) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
