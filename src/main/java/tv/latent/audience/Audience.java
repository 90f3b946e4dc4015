package tv.latent.audience;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.audience.Reply.Why;
import tv.latent.config.StudioConfig;
import tv.latent.director.Director;
import tv.latent.library.ClipLibrary;
import tv.latent.library.Database;
import tv.latent.moderation.AuditTrail;
import tv.latent.moderation.ModerationUnavailableException;
import tv.latent.moderation.Moderator;
import tv.latent.moderation.Verdict;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.NowPlaying;
import tv.latent.playout.Playout;
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
 * <p>One {@link ChannelDesk} per channel picks and follows suggestions on its own virtual thread
 * (one being made at a time per channel, so votes decide what comes next); {@link
 * SuggestionStatus} words where each one is for its viewer; one thread delivers events to listeners through a
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

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final int PRUNE_BATCH = 1000;
    private static final int DUPLICATE_CANDIDATES = 500;
    private static final Duration MODERATION_RETRY = Duration.ofMinutes(1);
    /** How long closing waits for each of its threads to end. */
    private static final Duration STOPPING = Duration.ofSeconds(5);

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
    private final Playout playout;
    private final Moderator moderator;
    private final AuditTrail audit;
    private final StudioConfig.Audience limits;
    private final InstantSource clock;
    private final MonotonicClock monotonic;
    private final SuggestionMoves moves;
    private final SuggestionStatus status;
    private final ChannelDesk.Parts parts;
    private final RateLimits viewerLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits addressLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits channelLimits = new RateLimits(REMEMBERED_KEYS);
    private final RateLimits voteLimits = new RateLimits(REMEMBERED_KEYS);
    private final List<AudienceListener> listeners = new CopyOnWriteArrayList<>();
    private final DropOldestQueue<Event> events = new DropOldestQueue<>(EVENTS_QUEUED);
    private final Object lifecycle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final Consumer<NowPlaying> airingChanged = now -> wake(now.channelId());
    private volatile Map<String, ChannelDesk> desks = Map.of();
    private volatile boolean started;
    private volatile boolean closed;

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
        this.playout = playout;
        this.moderator = moderator;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock;
        this.monotonic = monotonic;
        this.moves = new SuggestionMoves(store, audit, clock, this::changed);
        this.status = new SuggestionStatus(playout, pipeline.jobs(), monotonic);
        this.parts = new ChannelDesk.Parts(store, moves, pipeline, playout, library, audit, clock);
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
            ChannelDesk desk = new ChannelDesk(channel, parts);
            Map<String, ChannelDesk> next = new LinkedHashMap<>(desks);
            next.put(channel.id(), desk);
            desks = Collections.unmodifiableMap(next);
            if (started && !closed) {
                desk.start();
            }
        }
    }

    /** Changes a channel's brief, policy, openness or director; takes effect at its next round. */
    public void updateChannel(Channel channel) {
        ChannelDesk desk = existingDesk(channel.id());
        desk.channel = channel;
        desk.snapshot.set(null);
        desk.wake();
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
        ChannelDesk desk;
        synchronized (lifecycle) {
            desk = desks.get(channelId);
            if (desk == null) {
                return false;
            }
            Map<String, ChannelDesk> next = new LinkedHashMap<>(desks);
            next.remove(channelId);
            desks = Collections.unmodifiableMap(next);
        }
        desk.stop();
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
            desks.values().forEach(ChannelDesk::start);
        }
    }

    private Optional<ChannelDesk> desk(String channelId) {
        return Optional.ofNullable(desks.get(channelId));
    }

    /** @throws IllegalArgumentException when the channel has no audience loop */
    private ChannelDesk existingDesk(String channelId) {
        return desk(channelId).orElseThrow(() -> new IllegalArgumentException("no channel " + channelId));
    }

    private void wake(String channelId) {
        ChannelDesk desk = desks.get(channelId);
        if (desk != null) {
            desk.wake();
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
        Optional<ChannelDesk> found = desk(channelId);
        if (found.isEmpty()) {
            return new Reply.Refused(Why.NO_SUCH_CHANNEL, "There is no channel " + channelId + ".");
        }
        ChannelDesk desk = found.get();
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
        desk.wake();
        String message = stored.state() == SuggestionState.PENDING
                ? "Thanks! Your suggestion #" + stored.number() + " waits for a moderator's approval."
                : "Thanks! Your suggestion #" + stored.number() + " is in the queue.";
        return new Reply.Accepted(status.view(desk, stored, clock.instant()), message);
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
        Optional<ChannelDesk> found = desk(channelId);
        if (found.isEmpty()) {
            return new Reply.Refused(Why.NO_SUCH_CHANNEL, "There is no channel " + channelId + ".");
        }
        ChannelDesk desk = found.get();
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
                        status.view(desk, now, clock.instant()),
                        "Thanks! #" + number + " has " + now.votes() + " vote" + (now.votes() == 1 ? "" : "s") + ".");
            }
        };
    }

    /** The channel's public queue now (kept for a moment between changes). */
    public QueueSnapshot queue(String channelId) throws SQLException {
        ChannelDesk desk = existingDesk(channelId);
        QueueSnapshot cached = desk.snapshot.get();
        Instant now = clock.instant();
        if (cached != null && Duration.between(cached.at(), now).compareTo(Duration.ofSeconds(2)) < 0) {
            return cached;
        }
        QueueSnapshot fresh = snapshot(desk, now);
        desk.snapshot.set(fresh);
        return fresh;
    }

    private QueueSnapshot snapshot(ChannelDesk desk, Instant now) throws SQLException {
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
                queued.add(status.view(desk, s, now));
            }
        }
        for (Suggestion s : inPickOrder) {
            SuggestionView v = status.view(desk, s, now);
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
        ChannelDesk desk = existingDesk(channelId);
        Instant now = clock.instant();
        List<SuggestionView> out = new ArrayList<>();
        for (Suggestion s : store.byViewer(channelId, viewerId, Math.max(1, Math.min(limit, 50)))) {
            out.add(status.view(desk, s, now));
        }
        return out;
    }

    /** One suggestion by its number, as viewers see it. */
    public Optional<SuggestionView> suggestion(String channelId, long number) throws SQLException {
        ChannelDesk desk = existingDesk(channelId);
        Optional<Suggestion> s = store.byNumber(channelId, number);
        return s.isEmpty() ? Optional.empty() : Optional.of(status.view(desk, s.get(), clock.instant()));
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
        ChannelDesk desk = existingDesk(channelId);
        Instant now = clock.instant();
        List<SuggestionView> out = new ArrayList<>();
        store.open(channelId).stream()
                .filter(s -> s.state() == SuggestionState.PENDING)
                .sorted(java.util.Comparator.comparing(Suggestion::createdAt))
                .forEach(s -> out.add(status.view(desk, s, now)));
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
        ChannelDesk desk = desks.get(s.channelId());
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
                    ChannelDesk desk = s.isEmpty() ? null : desks.get(s.get().channelId());
                    if (desk != null) {
                        SuggestionView view = status.view(desk, s.get(), now);
                        String viewerId = s.get().viewerId();
                        tell(l -> l.suggestionChanged(view, viewerId));
                    }
                }
                for (String channelId : channels) {
                    ChannelDesk desk = desks.get(channelId);
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
                moves.move(
                        s,
                        SuggestionState.EXPIRED,
                        "waited " + limits.queuedFor().toHours() + " h without being picked");
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
        return "in " + SuggestionStatus.about(wait);
    }

    private static String who(Viewer viewer, String name) {
        return viewer.source().name().toLowerCase(java.util.Locale.ROOT) + " viewer " + viewer.id()
                + (name.isEmpty() ? "" : " (" + quote(name) + ")")
                + (viewer.address().isEmpty() ? "" : " from " + viewer.address());
    }

    static String quote(String text) {
        return "\"" + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "\"";
    }

    // ---- closing -----------------------------------------------------------------------------

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
        desks.values().forEach(ChannelDesk::stop);
        Threads.stop(STOPPING, threads);
    }
}
