package tv.latent.audience;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.director.Director;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.logging.Logging;
import tv.latent.moderation.AuditTrail;
import tv.latent.moderation.ModerationUnavailableException;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.Playout;
import tv.latent.time.Backoff;
import tv.latent.time.Threads;

/**
 * One channel's desk in the audience loop: its settings as the loop has them now, and the virtual
 * thread that picks and follows its viewers' suggestions. Each round follows every picked
 * suggestion as its job, its clip and the channel's timeline go (made, then airing next, on air,
 * aired; or failed, or taken off air), and when none is being made picks the top queued one:
 * marked MAKING first (an operator's concurrent decision wins or loses cleanly), adapted by the
 * channel's moderated director, submitted ahead of the lookahead's shots. One suggestion is made
 * at a time per channel, so votes decide what comes next. A round runs every {@link #TICK}, at
 * once when woken (a vote, an airing, a job ahead finished); a failing round backs off with
 * jitter up to 30 s.
 *
 * <pre>{@code
 * ChannelDesk desk = new ChannelDesk(channel, parts);
 * desk.start();
 * desk.wake();   // something changed: a round now
 * desk.stop();   // bounded
 * }</pre>
 *
 * <p>Thread-safe: its own thread runs the rounds; request threads read and change its settings,
 * take {@link #inserting} and read the caches.
 */
final class ChannelDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelDesk.class);
    /** How often a channel's suggestions are followed when nothing wakes its thread. */
    static final Duration TICK = Duration.ofMillis(500);
    /** A suggestion picked but never submitted (the station stopped in between) goes back to the queue after this. */
    static final Duration UNSUBMITTED = Duration.ofMinutes(2);

    private static final Backoff FAILING = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** How long stopping waits for the thread to end. */
    private static final Duration STOPPING = Duration.ofSeconds(5);

    /** What every desk works with, shared. */
    record Parts(
            SuggestionStore store,
            SuggestionMoves moves,
            Pipeline pipeline,
            Playout playout,
            ClipLibrary library,
            AuditTrail audit,
            InstantSource clock) {}

    final String id;
    /** The channel's settings; a change takes effect at the next round. */
    volatile Audience.Channel channel;
    /** Held while a suggestion is checked against the queue and stored, so that two at once are not both stored. */
    final ReentrantLock inserting = new ReentrantLock();
    /** The channel's queue as last read; null when something changed since. */
    final AtomicReference<QueueSnapshot> snapshot = new AtomicReference<>();
    /** The channel's seconds per stage of late, and when they were read (see {@link SuggestionStatus}). */
    volatile Map<JobState, Double> stageSeconds = Map.of();

    volatile long stageSecondsAtNanos = Long.MIN_VALUE;

    private final Semaphore wake = new Semaphore(0);
    private final SuggestionStore store;
    private final SuggestionMoves moves;
    private final Pipeline pipeline;
    private final JobStore jobs;
    private final Playout playout;
    private final ClipLibrary library;
    private final AuditTrail audit;
    private final InstantSource clock;
    private volatile Thread thread;
    private volatile boolean stopped;

    ChannelDesk(Audience.Channel channel, Parts parts) {
        this.id = channel.id();
        this.channel = channel;
        this.store = parts.store();
        this.moves = parts.moves();
        this.pipeline = parts.pipeline();
        this.jobs = parts.pipeline().jobs();
        this.playout = parts.playout();
        this.library = parts.library();
        this.audit = parts.audit();
        this.clock = parts.clock();
    }

    /** Starts the desk's thread. */
    void start() {
        thread = Thread.ofVirtual().name("audience-" + id).start(this::follow);
    }

    /** Asks for a round now (at most one more is owed however often it is asked). */
    void wake() {
        wake.release();
    }

    /** Stops the thread, waiting a bounded time for it. Idempotent. */
    void stop() {
        stopped = true;
        Threads.stop(STOPPING, thread);
    }

    private void follow() {
        MDC.put(Logging.CHANNEL, id);
        int failures = 0;
        while (!stopped) {
            Duration pause = TICK;
            try {
                round();
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                pause = FAILING.delay(failures);
                LOG.warn(
                        "channel {}: following viewers' suggestions failed ({} in a row), again in {} ms: {}",
                        id,
                        failures,
                        pause.toMillis(),
                        e.toString(),
                        failures == 1 ? e : null);
            }
            try {
                if (wake.tryAcquire(pause.toNanos(), TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: follow every picked suggestion; when none is being made, pick the top queued one. */
    void round() throws SQLException, IOException, InterruptedException {
        List<Suggestion> open = store.open(id);
        boolean making = false;
        for (Suggestion s : open) {
            if (s.state().picked()) {
                Suggestion now = advance(s);
                making |= now.state() == SuggestionState.MAKING;
            }
        }
        if (!making) {
            Optional<Suggestion> top = open.stream()
                    .filter(s -> s.state() == SuggestionState.QUEUED)
                    .findFirst();
            if (top.isPresent()) {
                pick(top.get());
            }
        }
    }

    /** Moves a picked suggestion on as its job, its clip and the channel's timeline go; returns it as it is now. */
    private Suggestion advance(Suggestion s) throws SQLException, InterruptedException {
        Instant now = clock.instant();
        switch (s.state()) {
            case MAKING -> {
                if (s.jobId().isEmpty()) {
                    return s.updatedAt().plus(UNSUBMITTED).isBefore(now)
                            ? moves.move(s, SuggestionState.QUEUED, "picked, but its shot was never submitted")
                            : s;
                }
                String jobId = s.jobId().get();
                JobState job = jobs.states(List.of(jobId)).get(jobId);
                if (job == null) {
                    return moves.move(s, SuggestionState.FAILED, "its shot job is gone");
                }
                if (job == JobState.FAILED) {
                    String error = jobs.find(jobId).map(ShotJob::lastError).orElse("");
                    return moves.move(s, SuggestionState.FAILED, "its shot could not be made: " + error);
                }
                if (job != JobState.MASTERED) {
                    return s;
                }
                playout.clipsArrived(id);
                if (playout.airNext(id, jobId)) {
                    return moves.move(s, SuggestionState.READY, "");
                }
                Optional<String> programming = playout.programmingState(id, jobId);
                if (programming.isEmpty()) {
                    return s; // the channel has not taken the clip in yet: next round
                }
                return switch (programming.get()) {
                    case "OFF_AIR" -> moves.move(s, SuggestionState.REMOVED, "its clip was taken off air");
                    case "SKIPPED" -> moves.move(s, SuggestionState.FAILED, "its clip could not be cut for air");
                    default -> moves.move(s, SuggestionState.READY, "");
                };
            }
            case READY, ON_AIR -> {
                String clipId = s.jobId().orElseThrow();
                Optional<String> programming = playout.programmingState(id, clipId);
                if (programming.filter("OFF_AIR"::equals).isPresent()) {
                    return moves.move(s, SuggestionState.REMOVED, "its clip was taken off air");
                }
                if (s.state() == SuggestionState.ON_AIR) {
                    return s.airEnd().filter(end -> !end.isAfter(now)).isPresent()
                            ? moves.move(s, SuggestionState.AIRED, "")
                            : s;
                }
                if (programming.filter("SKIPPED"::equals).isPresent()) {
                    return moves.move(s, SuggestionState.FAILED, "its clip could not be cut for air");
                }
                Optional<Instant> start = playout.scheduledStart(id, clipId);
                if (start.isPresent() && !start.get().isAfter(now)) {
                    double seconds =
                            library.find(clipId).map(Clip::durationSeconds).orElse(0.0);
                    Instant end = start.get().plusMillis(Math.round(seconds * 1000));
                    return moves.update(s, s.onAir(start.get(), end, now));
                }
                if (start.isEmpty() && programming.filter("AIRED"::equals).isPresent()) {
                    return moves.move(s, SuggestionState.AIRED, "");
                }
                return s;
            }
            default -> {
                return s;
            }
        }
    }

    /**
     * Makes the top queued suggestion the channel's next shot: marked MAKING first (an operator's
     * concurrent decision wins or loses cleanly), adapted by the channel's (moderated) director,
     * submitted ahead of the lookahead's shots.
     */
    private void pick(Suggestion top) throws SQLException, IOException, InterruptedException {
        Suggestion making;
        try {
            making = store.update(top, top.moved(SuggestionState.MAKING, "", clock.instant()));
        } catch (SuggestionStore.LostUpdate e) {
            return; // changed meanwhile (rejected, voted): looked at again next round
        }
        Audience.Channel channel = this.channel;
        Director.Direction direction;
        try {
            direction = channel.director()
                    .adapt(new Director.AdaptRequest(
                            channel.brief(),
                            making.text(),
                            jobs.recentPrompts(id, 20),
                            ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE)));
        } catch (ModerationUnavailableException | InterruptedException e) {
            moves.move(making, SuggestionState.QUEUED, "moderation could not check its shot; it waits in the queue");
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            moves.move(making, SuggestionState.FAILED, "the director could not make a shot of it: " + why);
            return;
        }
        ShotJob job = pipeline.submitAhead(id, direction).getFirst();
        Suggestion submitted = moves.update(making, making.making(job.id(), clock.instant()));
        audit.record(
                "audience",
                "suggestion.shot-submitted",
                submitted.subject(),
                "shot job " + job.id() + " by the " + direction.director() + " director: "
                        + Audience.quote(job.plan().prompt()));
    }
}
