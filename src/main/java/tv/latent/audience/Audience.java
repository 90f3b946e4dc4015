package tv.latent.audience;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tv.latent.audience.Reply.Why;
import tv.latent.config.StudioConfig;
import tv.latent.director.Director;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.Database;
import tv.latent.logging.Logging;
import tv.latent.moderation.AuditTrail;
import tv.latent.moderation.ModerationUnavailableException;
import tv.latent.moderation.Moderator;
import tv.latent.moderation.Verdict;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.NowPlaying;
import tv.latent.playout.Playout;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;
import tv.latent.time.Threads;

/**
 * The audience loop of every channel: viewers suggest shots (from the watch page or Twitch chat)
 * and vote; the most voted suggestion that passed moderation (and, on a channel that reviews
 * prompts, an operator) becomes the channel's next shot: its director adapts it to the channel's
 * style, the pipeline makes it ahead of everything else, and playout airs it next; the viewer
 * follows it from "in the queue" to "airs in about 40 s" to "on air now", and its clip carries
 * the viewer's name ({@link #credit}).
 *
 * <pre>{@code
 * try (Audience audience = new Audience(db, pipeline, playout, library, moderator, audit, limits, InstantSource.system())) {
 *   audience.addChannel(new Audience.Channel("news", brief, Policy.AUTO, true, director));
 *   audience.start();
 *   Reply reply = audience.suggest("news", Viewer.web(cookieId, remoteIp, "Ada"), "a red fox juggling lanterns");
 *   audience.vote("news", Viewer.web(otherCookie, otherIp, ""), 1);
 *   audience.addListener(new AudienceListener() { ... queueChanged: stream it over SSE ... });
 * }
 * }</pre>
 *
 * <p>Limits, the same for every source: one suggestion per viewer per {@code suggestEvery}, at
 * most {@code perIp} per address per {@code ipWindow}, at most {@code perChannelPerMinute} per
 * channel from everyone (a flood from many is refused without reaching the moderation endpoint,
 * the database or the pipeline), {@code queueCap} waiting per channel and {@code openPerViewer}
 * per viewer, no duplicate (or near duplicate) of a suggestion made within {@code
 * duplicateWindow}; votes: one per viewer per suggestion, {@code votesPerIpPerMinute} per address.
 * Refusals before moderation cost no call and no write; only suggestions that pass are stored.
 *
 * <p>One virtual thread per channel picks and follows suggestions (one being made at a time per
 * channel, so votes decide what comes next); one thread delivers events to listeners through a
 * queue of {@link #EVENTS_QUEUED} (the oldest dropped when full); one prunes: waiting suggestions
 * expire after {@code queuedFor}, finished ones are deleted {@code keptFor} after they ended.
 * Every decision is written to the {@link AuditTrail}: what moderation refused, what operators
 * approved or rejected, what was submitted, aired or failed (votes are not: they are counted).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and bounded.
 */
public final class Audience implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Audience.class);
    /** Shortest and longest suggestion, and longest display name, in characters (for the watch page's box). */
    public static final int SUGGESTION_MIN = SuggestionText.MIN;

    public static final int SUGGESTION_MAX = SuggestionText.MAX;
    public static final int NAME_MAX = SuggestionText.MAX_NAME;
    /** Events waiting for listeners; beyond it the oldest is dropped. */
    static final int EVENTS_QUEUED = 1024;
    /** Viewers and addresses whose recent suggestions and votes are remembered for the limits. */
    static final int REMEMBERED_KEYS = 100_000;
    /** How often a channel's suggestions are followed when nothing wakes its thread. */
    static final Duration TICK = Duration.ofMillis(500);
    /** A suggestion picked but never submitted (the station stopped in between) goes back to the queue after this. */
    static final Duration UNSUBMITTED = Duration.ofMinutes(2);

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final int PRUNE_BATCH = 1000;
    private static final int DUPLICATE_CANDIDATES = 500;
    private static final Duration MODERATION_RETRY = Duration.ofMinutes(1);
    private static final Backoff FAILING = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** How long closing waits for each of its threads to end. */
    private static final Duration STOPPING = Duration.ofSeconds(5);
    /** Until a channel has made shots, each stage is guessed at this long. */
    private static final double STAGE_GUESS_SECONDS = 8;

    /**
     * One channel of the audience loop.
     *
     * @param brief what the channel is about, for the director's adaptation
     * @param open false: the channel takes no suggestions or votes (picked ones still air)
     * @param director the channel's director, moderated (its adaptations are checked before they are made)
     */
    public record Channel(
            String id, Director.ChannelBrief brief, StudioConfig.Policy policy, boolean open, Director director) {}

    private final SuggestionStore store;
    private final Pipeline pipeline;
    private final JobStore jobs;
    private final Playout playout;
    private final ClipLibrary library;
    private final Moderator moderator;
    private final AuditTrail audit;
    private final StudioConfig.Audience limits;
    private final InstantSource clock;
    private final MonotonicClock monotonic;
    private final RateLimits viewerLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits addressLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits channelLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits voteLimits = new RateLimits(REMEMBERED_KEYS);
    private final List<AudienceListener> listeners = new CopyOnWriteArrayList<>();
    private final DropOldestQueue<Event> events = new DropOldestQueue<>(EVENTS_QUEUED);
    private final Object lifecycle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final Consumer<NowPlaying> airingChanged = now -> wake(now.channelId());
    private volatile Map<String, Desk> desks = Map.of();
    private volatile boolean started;
    private volatile boolean closed;

    /** A channel's thread, its settings and what it remembers between rounds. */
    private static final class Desk {
        final String id;
        volatile Channel channel;
        final Semaphore wake = new Semaphore(0);
        final ReentrantLock inserting = new ReentrantLock();
        final AtomicReference<QueueSnapshot> snapshot = new AtomicReference<>();
        volatile Thread thread;
        volatile boolean stopped;
        volatile Map<JobState, Double> stageSeconds = Map.of();
        volatile long stageSecondsAtNanos = Long.MIN_VALUE;

        Desk(Channel channel) {
            this.id = channel.id();
            this.channel = channel;
        }
    }

    /** Something listeners should hear: a suggestion moved on (id > 0), or only the channel's queue changed. */
    private record Event(String channelId, long suggestionId) {}

    public Audience(
            Database db,
            Pipeline pipeline,
            Playout playout,
            ClipLibrary library,
            Moderator moderator,
            AuditTrail audit,
            StudioConfig.Audience limits,
            InstantSource clock) {
        this(db, pipeline, playout, library, moderator, audit, limits, clock, MonotonicClock.following(clock));
    }

    /** @param monotonic what the rate limits and deadlines measure time with */
    public Audience(
            Database db,
            Pipeline pipeline,
            Playout playout,
            ClipLibrary library,
            Moderator moderator,
            AuditTrail audit,
            StudioConfig.Audience limits,
            InstantSource clock,
            MonotonicClock monotonic) {
        this.store = new SuggestionStore(db);
        this.pipeline = pipeline;
        this.jobs = pipeline.jobs();
        this.playout = playout;
        this.library = library;
        this.moderator = moderator;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock;
        this.monotonic = monotonic;
    }

    // ---- channels ----------------------------------------------------------------------------

    /**
     * Opens the audience loop of a channel (at once when started).
     *
     * @throws IllegalArgumentException when the channel is there already
     */
    public void addChannel(Channel channel) {
        synchronized (lifecycle) {
            if (desks.containsKey(channel.id())) {
                throw new IllegalArgumentException("channel " + channel.id() + " has an audience loop already");
            }
            Desk desk = new Desk(channel);
            Map<String, Desk> next = new LinkedHashMap<>(desks);
            next.put(channel.id(), desk);
            desks = Collections.unmodifiableMap(next);
            if (started && !closed) {
                run(desk);
            }
        }
    }

    /** Changes a channel's brief, policy, openness or director; takes effect at its next round. */
    public void updateChannel(Channel channel) {
        Desk desk = existingDesk(channel.id());
        desk.channel = channel;
        desk.snapshot.set(null);
        desk.wake.release();
    }

    /** A channel's settings as its audience loop has them now (policy, open or not); empty when it has none. */
    public Optional<Channel> channel(String channelId) {
        return desk(channelId).map(d -> d.channel);
    }

    /**
     * Stops a channel's audience loop; its suggestions stay stored (adding the channel again goes
     * on with them).
     *
     * @return false when the channel has no audience loop
     */
    public boolean removeChannel(String channelId) {
        Desk desk;
        synchronized (lifecycle) {
            desk = desks.get(channelId);
            if (desk == null) {
                return false;
            }
            Map<String, Desk> next = new LinkedHashMap<>(desks);
            next.remove(channelId);
            desks = Collections.unmodifiableMap(next);
        }
        stop(desk);
        return true;
    }

    /** Starts every channel's thread, the event thread and pruning. Idempotent. */
    public void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            started = true;
            pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    if (job.priority() >= ShotJob.AHEAD && job.state().terminal()) {
                        wake(job.channelId());
                    }
                }
            });
            playout.addListener(airingChanged);
            threads.add(Thread.ofVirtual().name("audience-events").start(this::deliverEvents));
            threads.add(Thread.ofVirtual().name("audience-prune").start(this::pruneLoop));
            desks.values().forEach(this::run);
        }
    }

    private void run(Desk desk) {
        desk.thread = Thread.ofVirtual().name("audience-" + desk.id).start(() -> follow(desk));
    }

    private Optional<Desk> desk(String channelId) {
        return Optional.ofNullable(desks.get(channelId));
    }

    /** @throws IllegalArgumentException when the channel has no audience loop */
    private Desk existingDesk(String channelId) {
        return desk(channelId).orElseThrow(() -> new IllegalArgumentException("no channel " + channelId));
    }

    private void wake(String channelId) {
        Desk desk = desks.get(channelId);
        if (desk != null) {
            desk.wake.release();
        }
    }

    // ---- viewers -----------------------------------------------------------------------------

    /**
     * A viewer of the watch page suggests a shot. See {@link #suggest(String, Viewer, String)}.
     *
     * @param viewerId the web's stable id of this viewer (a cookie)
     * @param ip the address the request came from
     * @param displayName the name to show, or null
     */
    public Reply suggest(String channelId, String viewerId, String ip, String displayName, String text)
            throws SQLException {
        return suggest(channelId, Viewer.web(viewerId, ip, displayName), text);
    }

    /**
     * A viewer suggests a shot: checked (text, name, limits, queue caps, duplicates, moderation),
     * then stored in the queue, or awaiting review on a channel whose policy is review-prompts.
     * Cheap refusals come first: a flood is turned away by counters in memory.
     *
     * @throws SQLException when the database fails (nothing was stored)
     */
    public Reply suggest(String channelId, Viewer viewer, String text) throws SQLException {
        Optional<Desk> found = desk(channelId);
        if (found.isEmpty()) {
            return new Reply.Refused(Why.NO_SUCH_CHANNEL, "There is no channel " + channelId + ".");
        }
        Desk desk = found.get();
        if (!desk.channel.open()) {
            return new Reply.Refused(Why.CLOSED, "This channel does not take suggestions.");
        }
        SuggestionText.Checked checked = SuggestionText.suggestion(text);
        if (!checked.ok()) {
            return new Reply.Refused(checked.why(), checked.message());
        }
        SuggestionText.Checked name = SuggestionText.displayName(viewer.displayName());
        if (!name.ok()) {
            return new Reply.Refused(name.why(), name.message());
        }
        Taken taken = takeSuggestionPlaces(channelId, viewer);
        if (taken.refusal() != null) {
            return taken.refusal();
        }
        List<Suggestion> open = store.open(channelId);
        Reply.Refused full = capped(open, viewer);
        if (full != null) {
            taken.giveBack();
            return full;
        }
        String normal = SuggestionText.normal(checked.text());
        Optional<Suggestion> duplicate = duplicateOf(channelId, normal, open);
        if (duplicate.isPresent()) {
            taken.giveBack(); // an idea already queued costs the viewer nothing: she may suggest another at once
            return duplicateRefusal(duplicate.get());
        }
        Verdict verdict;
        Verdict nameVerdict = Verdict.PASSED;
        try {
            verdict = moderator.check(checked.text());
            if (!verdict.flagged() && !name.text().isEmpty()) {
                nameVerdict = moderator.check(name.text());
            }
        } catch (ModerationUnavailableException e) {
            taken.giveBack();
            return new Reply.Refused(
                    Why.MODERATION_UNAVAILABLE,
                    "We cannot check suggestions right now: please try again in a minute.",
                    Optional.of(MODERATION_RETRY));
        }
        if (verdict.flagged() || nameVerdict.flagged()) {
            Verdict why = verdict.flagged() ? verdict : nameVerdict;
            audit.record(
                    "moderation",
                    "suggestion.refused",
                    "channel:" + channelId,
                    why.reason() + " (" + why.source() + ", in the "
                            + (verdict.flagged() ? "suggestion" : "display name") + "); " + who(viewer, name.text())
                            + ": " + quote(checked.text()));
            return verdict.flagged()
                    ? new Reply.Refused(
                            Why.FLAGGED,
                            "Sorry, we cannot make that one: it does not pass this channel's content rules. "
                                    + "Try another idea!")
                    : new Reply.Refused(Why.NAME_FLAGGED, "Sorry, that display name cannot be used here.");
        }
        Suggestion stored;
        desk.inserting.lock();
        try {
            // again under the channel's lock: two requests that passed together must not both be stored
            open = store.open(channelId);
            full = capped(open, viewer);
            if (full != null) {
                taken.giveBack();
                return full;
            }
            duplicate = duplicateOf(channelId, normal, open);
            if (duplicate.isPresent()) {
                taken.giveBack();
                return duplicateRefusal(duplicate.get());
            }
            SuggestionState state = desk.channel.policy() == StudioConfig.Policy.REVIEW_PROMPTS
                    ? SuggestionState.PENDING
                    : SuggestionState.QUEUED;
            SuggestionStore.New fresh = new SuggestionStore.New(
                    channelId,
                    viewer.id(),
                    name.text(),
                    viewer.source(),
                    checked.text(),
                    normal,
                    state,
                    clock.instant());
            stored = store.database().write(c -> store.insert(c, fresh));
        } finally {
            desk.inserting.unlock();
        }
        audit.record(
                "audience",
                "suggestion.accepted",
                stored.subject(),
                who(viewer, name.text()) + ": " + quote(stored.text())
                        + (stored.state() == SuggestionState.PENDING ? "; waiting for review" : ""));
        changed(stored);
        desk.wake.release();
        String message = stored.state() == SuggestionState.PENDING
                ? "Thanks! Your suggestion #" + stored.number() + " waits for a moderator's approval."
                : "Thanks! Your suggestion #" + stored.number() + " is in the queue.";
        return new Reply.Accepted(view(desk, stored, clock.instant()), message);
    }

    /** The places a suggestion takes in the limits, or the refusal; given back when the viewer was not at fault. */
    private record Taken(Reply.Refused refusal, Runnable places) {
        void giveBack() {
            places.run();
        }
    }

    private Taken takeSuggestionPlaces(String channelId, Viewer viewer) {
        long now = monotonic.nanos();
        String viewerKey = channelId + " " + viewer.id();
        String addressKey = channelId + " " + viewer.address();
        boolean byViewer = !limits.suggestEvery().isZero();
        boolean byAddress = !viewer.address().isEmpty();
        if (byViewer) {
            Optional<Duration> wait = viewerLimits.take(viewerKey, 1, limits.suggestEvery(), now);
            if (wait.isPresent()) {
                return new Taken(
                        new Reply.Refused(Why.VIEWER_TOO_SOON, "You can suggest again " + in(wait.get()) + ".", wait),
                        () -> {});
            }
        }
        Runnable giveViewerBack = () -> {
            if (byViewer) {
                viewerLimits.giveBack(viewerKey, now);
            }
        };
        if (byAddress) {
            Optional<Duration> wait = addressLimits.take(addressKey, limits.perIp(), limits.ipWindow(), now);
            if (wait.isPresent()) {
                giveViewerBack.run();
                return new Taken(
                        new Reply.Refused(
                                Why.ADDRESS_TOO_BUSY,
                                "Too many suggestions from your network: you can suggest again " + in(wait.get()) + ".",
                                wait),
                        () -> {});
            }
        }
        Runnable giveAddressBack = () -> {
            giveViewerBack.run();
            if (byAddress) {
                addressLimits.giveBack(addressKey, now);
            }
        };
        Optional<Duration> wait =
                channelLimits.take(channelId, limits.perChannelPerMinute(), Duration.ofMinutes(1), now);
        if (wait.isPresent()) {
            giveAddressBack.run();
            return new Taken(
                    new Reply.Refused(
                            Why.CHANNEL_TOO_BUSY,
                            "Lots of suggestions right now: please try again " + in(wait.get()) + ".",
                            wait),
                    () -> {});
        }
        return new Taken(null, () -> {
            giveAddressBack.run();
            channelLimits.giveBack(channelId, now);
        });
    }

    /** The queue's caps: the channel's and the viewer's own; null when there is room. */
    private Reply.Refused capped(List<Suggestion> open, Viewer viewer) {
        long waiting = open.stream().filter(s -> s.state().waiting()).count();
        if (waiting >= limits.queueCap()) {
            return new Reply.Refused(
                    Why.QUEUE_FULL,
                    "The queue is full: try again when a shot has aired.",
                    Optional.of(Duration.ofMinutes(1)));
        }
        long mine = open.stream()
                .filter(s -> s.state().waiting() && s.viewerId().equals(viewer.id()))
                .count();
        if (mine >= limits.openPerViewer()) {
            return new Reply.Refused(
                    Why.VIEWER_QUEUE_FULL,
                    "You already have " + mine + " suggestion" + (mine == 1 ? "" : "s")
                            + " waiting: vote for others while they wait.");
        }
        return null;
    }

    private Optional<Suggestion> duplicateOf(String channelId, String normal, List<Suggestion> open)
            throws SQLException {
        for (Suggestion s : open) {
            if (SuggestionText.nearlySame(normal, s.normal())) {
                return Optional.of(s);
            }
        }
        if (limits.duplicateWindow().isZero()) {
            return Optional.empty();
        }
        Instant since = clock.instant().minus(limits.duplicateWindow());
        for (Suggestion s : store.recent(channelId, since, DUPLICATE_CANDIDATES)) {
            if (SuggestionText.nearlySame(normal, s.normal())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static Reply.Refused duplicateRefusal(Suggestion duplicate) {
        return new Reply.Refused(
                Why.DUPLICATE,
                duplicate.state() == SuggestionState.QUEUED
                        ? "That was suggested already: vote for #" + duplicate.number() + " instead."
                        : "That was suggested a moment ago: try something new.");
    }

    /**
     * A viewer votes for a queued suggestion by its number. One vote per viewer per suggestion;
     * a viewer cannot vote for their own.
     */
    public Reply vote(String channelId, Viewer viewer, long number) throws SQLException {
        Optional<Desk> found = desk(channelId);
        if (found.isEmpty()) {
            return new Reply.Refused(Why.NO_SUCH_CHANNEL, "There is no channel " + channelId + ".");
        }
        Desk desk = found.get();
        if (!desk.channel.open()) {
            return new Reply.Refused(Why.CLOSED, "This channel does not take votes.");
        }
        if (!viewer.address().isEmpty()) {
            Optional<Duration> wait = voteLimits.take(
                    channelId + " " + viewer.address(),
                    limits.votesPerIpPerMinute(),
                    Duration.ofMinutes(1),
                    monotonic.nanos());
            if (wait.isPresent()) {
                return new Reply.Refused(
                        Why.ADDRESS_TOO_BUSY,
                        "Too many votes from your network: try again " + in(wait.get()) + ".",
                        wait);
            }
        }
        Optional<Suggestion> target = store.byNumber(channelId, number);
        Reply notQueued = new Reply.Refused(Why.NOT_IN_QUEUE, "There is no suggestion #" + number + " in the queue.");
        if (target.isEmpty()) {
            return notQueued;
        }
        Suggestion s = target.get();
        if (s.viewerId().equals(viewer.id())) {
            return s.state() == SuggestionState.QUEUED
                    ? new Reply.Refused(Why.OWN_SUGGESTION, "That is your own suggestion: ask others to vote for it!")
                    : notQueued;
        }
        // one picked meanwhile still tells a viewer who voted for it that she did (the store
        // counts votes only while it is queued)
        return switch (store.vote(s.id(), viewer.id(), clock.instant())) {
            case ALREADY -> new Reply.Refused(Why.ALREADY_VOTED, "You already voted for #" + number + ".");
            case NOT_QUEUED -> notQueued;
            case COUNTED -> {
                Suggestion now = store.find(s.id()).orElse(s);
                changed(now);
                yield new Reply.Accepted(
                        view(desk, now, clock.instant()),
                        "Thanks! #" + number + " has " + now.votes() + " vote" + (now.votes() == 1 ? "" : "s") + ".");
            }
        };
    }

    /** The channel's public queue now (kept for a moment between changes). */
    public QueueSnapshot queue(String channelId) throws SQLException {
        Desk desk = existingDesk(channelId);
        QueueSnapshot cached = desk.snapshot.get();
        Instant now = clock.instant();
        if (cached != null && Duration.between(cached.at(), now).compareTo(Duration.ofSeconds(2)) < 0) {
            return cached;
        }
        QueueSnapshot fresh = snapshot(desk, now);
        desk.snapshot.set(fresh);
        return fresh;
    }

    private QueueSnapshot snapshot(Desk desk, Instant now) throws SQLException {
        List<SuggestionView> queued = new ArrayList<>();
        List<SuggestionView> picked = new ArrayList<>();
        SuggestionView onAir = null;
        int pending = 0;
        List<Suggestion> open = store.open(desk.id);
        List<Suggestion> inPickOrder = open.stream()
                .filter(s -> s.state().picked())
                .sorted(java.util.Comparator.comparing(Suggestion::updatedAt))
                .toList();
        for (Suggestion s : open) {
            if (s.state() == SuggestionState.PENDING) {
                pending++;
            } else if (s.state() == SuggestionState.QUEUED) {
                queued.add(view(desk, s, now));
            }
        }
        for (Suggestion s : inPickOrder) {
            SuggestionView v = view(desk, s, now);
            if (s.state() == SuggestionState.ON_AIR) {
                onAir = v;
            } else {
                picked.add(v);
            }
        }
        return new QueueSnapshot(desk.id, queued, picked, Optional.ofNullable(onAir), pending, now);
    }

    /** One viewer's suggestions on a channel, newest first, at most {@code limit}: their status, live. */
    public List<SuggestionView> suggestionsOf(String channelId, String viewerId, int limit) throws SQLException {
        Desk desk = existingDesk(channelId);
        Instant now = clock.instant();
        List<SuggestionView> out = new ArrayList<>();
        for (Suggestion s : store.byViewer(channelId, viewerId, Math.max(1, Math.min(limit, 50)))) {
            out.add(view(desk, s, now));
        }
        return out;
    }

    /** One suggestion by its number, as viewers see it. */
    public Optional<SuggestionView> suggestion(String channelId, long number) throws SQLException {
        Desk desk = existingDesk(channelId);
        Optional<Suggestion> s = store.byNumber(channelId, number);
        return s.isEmpty() ? Optional.empty() : Optional.of(view(desk, s.get(), clock.instant()));
    }

    /** Whose suggestion a clip was made of, for its caption; empty for the director's own clips. */
    public Optional<Credit> credit(String channelId, String clipId) throws SQLException {
        return store.byJob(clipId)
                .filter(s -> s.channelId().equals(channelId))
                .map(s -> new Credit(channelId, clipId, s.displayName(), s.number(), s.source(), s.text()));
    }

    // ---- operators ---------------------------------------------------------------------------

    /** Suggestions waiting for an operator (a channel that reviews prompts), oldest first. */
    public List<SuggestionView> awaitingReview(String channelId) throws SQLException {
        Desk desk = existingDesk(channelId);
        Instant now = clock.instant();
        List<SuggestionView> out = new ArrayList<>();
        store.open(channelId).stream()
                .filter(s -> s.state() == SuggestionState.PENDING)
                .sorted(java.util.Comparator.comparing(Suggestion::createdAt))
                .forEach(s -> out.add(view(desk, s, now)));
        return out;
    }

    /**
     * An operator lets a suggestion waiting for review join the queue; audited.
     *
     * @return false when no suggestion of that number waits for review
     */
    public boolean approve(String channelId, long number, String operator) throws SQLException {
        Optional<Suggestion> s = store.byNumber(channelId, number);
        if (s.isEmpty() || s.get().state() != SuggestionState.PENDING) {
            return false;
        }
        try {
            Suggestion approved = store.update(s.get(), s.get().moved(SuggestionState.QUEUED, "", clock.instant()));
            audit.record(operator, "suggestion.approved", approved.subject(), quote(approved.text()));
            changed(approved);
            wake(channelId);
            return true;
        } catch (SuggestionStore.LostUpdate e) {
            return false;
        }
    }

    /**
     * An operator turns down a suggestion waiting for review or in the queue; audited with the reason.
     *
     * @return false when no suggestion of that number waits
     */
    public boolean reject(String channelId, long number, String operator, String reason) throws SQLException {
        Optional<Suggestion> s = store.byNumber(channelId, number);
        if (s.isEmpty() || !s.get().state().waiting()) {
            return false;
        }
        String why = reason == null || reason.isBlank() ? "rejected by an operator" : reason.strip();
        try {
            Suggestion rejected = store.update(s.get(), s.get().moved(SuggestionState.REJECTED, why, clock.instant()));
            audit.record(operator, "suggestion.rejected", rejected.subject(), why + ": " + quote(rejected.text()));
            changed(rejected);
            return true;
        } catch (SuggestionStore.LostUpdate e) {
            return false;
        }
    }

    // ---- listeners ---------------------------------------------------------------------------

    /** Hears queue and suggestion changes on the event thread; see {@link AudienceListener}. */
    public void addListener(AudienceListener listener) {
        listeners.add(listener);
    }

    public void removeListener(AudienceListener listener) {
        listeners.remove(listener);
    }

    /** Events dropped because listeners fell behind. */
    public long eventsDropped() {
        return events.dropped();
    }

    private void changed(Suggestion s) {
        Desk desk = desks.get(s.channelId());
        if (desk != null) {
            desk.snapshot.set(null);
        }
        events.add(new Event(s.channelId(), s.id()));
    }

    private void deliverEvents() {
        while (!closed) {
            List<Event> batch = new ArrayList<>();
            try {
                batch.add(events.take());
            } catch (InterruptedException e) {
                return;
            }
            events.drainTo(batch);
            Set<String> channels = new LinkedHashSet<>();
            Set<Long> suggestions = new LinkedHashSet<>();
            for (Event e : batch) {
                channels.add(e.channelId());
                if (e.suggestionId() > 0) {
                    suggestions.add(e.suggestionId());
                }
            }
            try {
                Instant now = clock.instant();
                for (long id : suggestions) {
                    Optional<Suggestion> s = store.find(id);
                    Desk desk = s.isEmpty() ? null : desks.get(s.get().channelId());
                    if (desk != null) {
                        SuggestionView view = view(desk, s.get(), now);
                        String viewerId = s.get().viewerId();
                        tell(l -> l.suggestionChanged(view, viewerId));
                    }
                }
                for (String channelId : channels) {
                    Desk desk = desks.get(channelId);
                    if (desk != null) {
                        QueueSnapshot snapshot = snapshot(desk, now);
                        desk.snapshot.set(snapshot);
                        tell(l -> l.queueChanged(snapshot));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("audience events could not be delivered: {}", e.toString());
            }
        }
    }

    private void tell(Consumer<AudienceListener> call) {
        for (AudienceListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("an audience listener failed: {}", e.toString());
            }
        }
    }

    // ---- the channel's thread: pick, make, air -----------------------------------------------

    private void follow(Desk desk) {
        MDC.put(Logging.CHANNEL, desk.id);
        int failures = 0;
        while (!closed && !desk.stopped) {
            Duration pause = TICK;
            try {
                round(desk);
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                pause = FAILING.delay(failures);
                LOG.warn(
                        "channel {}: following viewers' suggestions failed ({} in a row), again in {} ms: {}",
                        desk.id,
                        failures,
                        pause.toMillis(),
                        e.toString(),
                        failures == 1 ? e : null);
            }
            try {
                if (desk.wake.tryAcquire(pause.toNanos(), TimeUnit.NANOSECONDS)) {
                    desk.wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: follow every picked suggestion; when none is being made, pick the top queued one. */
    void round(Desk desk) throws SQLException, IOException, InterruptedException {
        List<Suggestion> open = store.open(desk.id);
        boolean making = false;
        for (Suggestion s : open) {
            if (s.state().picked()) {
                Suggestion now = advance(desk, s);
                making |= now.state() == SuggestionState.MAKING;
            }
        }
        if (!making) {
            Optional<Suggestion> top = open.stream()
                    .filter(s -> s.state() == SuggestionState.QUEUED)
                    .findFirst();
            if (top.isPresent()) {
                pick(desk, top.get());
            }
        }
    }

    /** Moves a picked suggestion on as its job, its clip and the channel's timeline go; returns it as it is now. */
    private Suggestion advance(Desk desk, Suggestion s) throws SQLException, InterruptedException {
        Instant now = clock.instant();
        switch (s.state()) {
            case MAKING -> {
                if (s.jobId().isEmpty()) {
                    return s.updatedAt().plus(UNSUBMITTED).isBefore(now)
                            ? move(s, SuggestionState.QUEUED, "picked, but its shot was never submitted")
                            : s;
                }
                String jobId = s.jobId().get();
                JobState job = jobs.states(List.of(jobId)).get(jobId);
                if (job == null) {
                    return move(s, SuggestionState.FAILED, "its shot job is gone");
                }
                if (job == JobState.FAILED) {
                    String error = jobs.find(jobId).map(ShotJob::lastError).orElse("");
                    return move(s, SuggestionState.FAILED, "its shot could not be made: " + error);
                }
                if (job != JobState.MASTERED) {
                    return s;
                }
                playout.clipsArrived(desk.id);
                if (playout.airNext(desk.id, jobId)) {
                    return move(s, SuggestionState.READY, "");
                }
                Optional<String> programming = playout.programmingState(desk.id, jobId);
                if (programming.isEmpty()) {
                    return s; // the channel has not taken the clip in yet: next round
                }
                return switch (programming.get()) {
                    case "OFF_AIR" -> move(s, SuggestionState.REMOVED, "its clip was taken off air");
                    case "SKIPPED" -> move(s, SuggestionState.FAILED, "its clip could not be cut for air");
                    default -> move(s, SuggestionState.READY, "");
                };
            }
            case READY, ON_AIR -> {
                String clipId = s.jobId().orElseThrow();
                Optional<String> programming = playout.programmingState(desk.id, clipId);
                if (programming.filter("OFF_AIR"::equals).isPresent()) {
                    return move(s, SuggestionState.REMOVED, "its clip was taken off air");
                }
                if (s.state() == SuggestionState.ON_AIR) {
                    return s.airEnd().filter(end -> !end.isAfter(now)).isPresent()
                            ? move(s, SuggestionState.AIRED, "")
                            : s;
                }
                if (programming.filter("SKIPPED"::equals).isPresent()) {
                    return move(s, SuggestionState.FAILED, "its clip could not be cut for air");
                }
                Optional<Instant> start = playout.scheduledStart(desk.id, clipId);
                if (start.isPresent() && !start.get().isAfter(now)) {
                    double seconds =
                            library.find(clipId).map(Clip::durationSeconds).orElse(0.0);
                    Instant end = start.get().plusMillis(Math.round(seconds * 1000));
                    Suggestion onAir = store.update(s, s.onAir(start.get(), end, now));
                    changed(onAir);
                    return onAir;
                }
                if (start.isEmpty() && programming.filter("AIRED"::equals).isPresent()) {
                    return move(s, SuggestionState.AIRED, "");
                }
                return s;
            }
            default -> {
                return s;
            }
        }
    }

    private Suggestion move(Suggestion s, SuggestionState next, String why) throws SQLException {
        Suggestion moved = store.update(s, s.moved(next, why, clock.instant()));
        switch (next) {
            case FAILED, REMOVED ->
                audit.record(
                        "audience",
                        "suggestion." + next.name().toLowerCase(java.util.Locale.ROOT),
                        moved.subject(),
                        why);
            case AIRED ->
                audit.record(
                        "audience",
                        "suggestion.aired",
                        moved.subject(),
                        "clip " + moved.jobId().orElse(""));
            case QUEUED -> LOG.info("channel {}: suggestion #{} is queued again: {}", s.channelId(), s.number(), why);
            default -> {}
        }
        changed(moved);
        return moved;
    }

    /**
     * Makes the top queued suggestion the channel's next shot: marked MAKING first (an operator's
     * concurrent decision wins or loses cleanly), adapted by the channel's (moderated) director,
     * submitted ahead of the lookahead's shots.
     */
    private void pick(Desk desk, Suggestion top) throws SQLException, IOException, InterruptedException {
        Suggestion making;
        try {
            making = store.update(top, top.moved(SuggestionState.MAKING, "", clock.instant()));
        } catch (SuggestionStore.LostUpdate e) {
            return; // changed meanwhile (rejected, voted): looked at again next round
        }
        Channel channel = desk.channel;
        Director.Direction direction;
        try {
            direction = channel.director()
                    .adapt(new Director.AdaptRequest(
                            channel.brief(),
                            making.text(),
                            jobs.recentPrompts(desk.id, 20),
                            ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE)));
        } catch (ModerationUnavailableException | InterruptedException e) {
            move(making, SuggestionState.QUEUED, "moderation could not check its shot; it waits in the queue");
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            move(making, SuggestionState.FAILED, "the director could not make a shot of it: " + why);
            return;
        }
        ShotJob job = pipeline.submitAhead(desk.id, direction).getFirst();
        Suggestion submitted = store.update(making, making.making(job.id(), clock.instant()));
        audit.record(
                "audience",
                "suggestion.shot-submitted",
                submitted.subject(),
                "shot job " + job.id() + " by the " + direction.director() + " director: "
                        + quote(job.plan().prompt()));
        changed(submitted);
    }

    // ---- what viewers are told ---------------------------------------------------------------

    private SuggestionView view(Desk desk, Suggestion s, Instant now) {
        Optional<Duration> airsIn = Optional.empty();
        String status;
        switch (s.state()) {
            case PENDING -> status = "Waiting for a moderator's approval.";
            case QUEUED -> status = "In the queue with " + s.votes() + " vote" + (s.votes() == 1 ? "" : "s") + ".";
            case MAKING -> {
                airsIn = makingEta(desk, s, now);
                status = airsIn.map(d -> "Being made: airs in about " + about(d) + ".")
                        .orElse("Being made now.");
            }
            case READY -> {
                if (held(desk, s)) {
                    status = "Made: waiting for the operator's approval to air.";
                } else {
                    airsIn = readyEta(desk, s, now);
                    status = airsIn.map(d -> "Made: airs in about " + about(d) + ".")
                            .orElse("Made: airs next.");
                }
            }
            case ON_AIR -> {
                airsIn = Optional.of(Duration.ZERO);
                status = "On air now!";
            }
            case AIRED -> status = "Aired.";
            case REJECTED -> status = "A moderator decided not to use it.";
            case EXPIRED -> status = "Nobody picked it in time.";
            case FAILED -> status = "Sorry, it could not be made.";
            case REMOVED -> status = "Its clip was taken off air.";
            default -> throw new IllegalStateException(s.state().name());
        }
        return new SuggestionView(
                s.channelId(),
                s.number(),
                s.text(),
                s.displayName(),
                s.source(),
                s.state(),
                s.votes(),
                status,
                airsIn,
                s.createdAt());
    }

    private boolean held(Desk desk, Suggestion s) {
        try {
            return s.jobId().isPresent()
                    && playout.programmingState(desk.id, s.jobId().get())
                            .filter("HELD"::equals)
                            .isPresent();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * While its shot is made: the stages left at the channel's recent pace, then the channel's
     * decided timeline (a clip mastered now airs after what is decided already).
     */
    private Optional<Duration> makingEta(Desk desk, Suggestion s, Instant now) {
        try {
            Optional<ShotJob> job =
                    s.jobId().isEmpty() ? Optional.empty() : jobs.find(s.jobId().get());
            Map<JobState, Double> pace = stageSeconds(desk);
            double left = 0;
            List<JobState> stages = job.map(ShotJob::order).orElse(JobState.order(true));
            for (JobState stage : stages) {
                if (job.isEmpty() || !job.get().outputs().containsKey(stage)) {
                    left += pace.getOrDefault(stage, STAGE_GUESS_SECONDS);
                }
            }
            if (job.isPresent()) {
                double spent = Duration.between(job.get().updatedAt(), now).toMillis() / 1000.0;
                double current = pace.getOrDefault(job.get().state(), STAGE_GUESS_SECONDS);
                left -= Math.min(Math.max(0, spent), current * 0.9);
            }
            Duration making = Duration.ofMillis(Math.round(Math.max(1, left) * 1000));
            Duration decided = playout.decidedUntil(desk.id)
                    .map(until -> Duration.between(now, until))
                    .filter(d -> !d.isNegative())
                    .orElse(Duration.ZERO);
            return Optional.of(making.compareTo(decided) > 0 ? making : decided);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Duration> readyEta(Desk desk, Suggestion s, Instant now) {
        try {
            Optional<Instant> at = playout.scheduledStart(desk.id, s.jobId().orElseThrow());
            if (at.isEmpty()) {
                at = playout.decidedUntil(desk.id);
            }
            return at.map(t -> Duration.between(now, t)).map(d -> d.isNegative() ? Duration.ZERO : d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The channel's seconds per stage over its latest mastered shots (looked at once a minute). */
    private Map<JobState, Double> stageSeconds(Desk desk) throws SQLException {
        long now = monotonic.nanos();
        if (now - desk.stageSecondsAtNanos < Duration.ofMinutes(1).toNanos()) {
            return desk.stageSeconds;
        }
        Map<JobState, double[]> sums = new EnumMap<>(JobState.class);
        for (ShotJob job : jobs.list(desk.id, 30)) {
            if (job.state() == JobState.MASTERED) {
                job.outputs().forEach((stage, record) -> {
                    double[] sum = sums.computeIfAbsent(stage, k -> new double[2]);
                    sum[0] += record.seconds();
                    sum[1]++;
                });
            }
        }
        Map<JobState, Double> pace = new EnumMap<>(JobState.class);
        sums.forEach((stage, sum) -> pace.put(stage, sum[0] / sum[1]));
        desk.stageSeconds = pace;
        desk.stageSecondsAtNanos = now;
        return pace;
    }

    // ---- pruning -----------------------------------------------------------------------------

    private void pruneLoop() {
        while (!closed) {
            try {
                prune();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("pruning viewers' suggestions failed: {}", e.toString());
            }
            try {
                Thread.sleep(PRUNE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Expires what waited too long and deletes what ended long ago; returns how many of each. */
    int[] prune() throws SQLException {
        Instant now = clock.instant();
        int expired = 0;
        for (Suggestion s : store.waitingSince(now.minus(limits.queuedFor()), PRUNE_BATCH)) {
            try {
                move(s, SuggestionState.EXPIRED, "waited " + limits.queuedFor().toHours() + " h without being picked");
                expired++;
            } catch (SuggestionStore.LostUpdate e) {
                // picked or decided meanwhile
            }
        }
        int deleted = 0;
        int batch;
        do {
            batch = store.prune(now.minus(limits.keptFor()), PRUNE_BATCH);
            deleted += batch;
        } while (batch == PRUNE_BATCH && !closed);
        if (expired > 0 || deleted > 0) {
            LOG.info("viewers' suggestions: {} expired, {} old ones deleted", expired, deleted);
        }
        return new int[] {expired, deleted};
    }

    // ---- words -------------------------------------------------------------------------------

    /** "in 45 s", "in 2 min", "in 3 h": rounded up, never "in 0 s". */
    static String in(Duration wait) {
        return "in " + about(wait);
    }

    /** "45 s", "2 min", "3 h": rounded up. */
    static String about(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        return ((minutes + 59) / 60) + " h";
    }

    private static String who(Viewer viewer, String name) {
        return viewer.source().name().toLowerCase(java.util.Locale.ROOT) + " viewer " + viewer.id()
                + (name.isEmpty() ? "" : " (" + quote(name) + ")")
                + (viewer.address().isEmpty() ? "" : " from " + viewer.address());
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "\"";
    }

    // ---- closing -----------------------------------------------------------------------------

    private static void stop(Desk desk) {
        desk.stopped = true;
        Threads.stop(STOPPING, desk.thread);
    }

    /** Stops every thread (bounded); suggestions stay stored and go on at the next start. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        playout.removeListener(airingChanged);
        desks.values().forEach(Audience::stop);
        Threads.stop(STOPPING, threads);
    }
}
