package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Live playout of every channel of the process: timelines, HLS and RTMP push.
 *
 * <pre>{@code
 * try (Playout playout = new Playout(db, catalog, ffmpeg, dataDir, channels, InstantSource.system())) {
 *   playout.addListener(now -> sse.broadcast(now));
 *   playout.start();
 *   // GET /channels/{id}/{name}: playout.resolve(id, name) → Found(body, type, cache) or NotFound
 *   // the lookahead: while playout.unairedFreshSeconds(id) < lookahead, make shots
 *   // the pipeline mastered a clip: playout.clipsArrived(id)
 * }
 * }</pre>
 *
 * <p>{@link #start()} opens each channel (as its writer, or as a follower when another process
 * airs it) and starts one virtual thread per channel (scheduling ahead of the live edge,
 * "now playing" events, pruning; it sleeps until the next of these is due, and re-reads a
 * non-system clock every second), and on the writer one virtual thread plus one ffmpeg per push
 * target. Now-playing events reach listeners on one thread of their own through a queue of
 * {@link #EVENTS_QUEUED} (the oldest dropped when full), never on a channel thread. Clip
 * segments go in {@code hls/} beside each master; channel files (slates, the writer lock) in
 * {@code {dataDir}/channels/{id}/}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and stops everything within seconds.
 */
public final class Playout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Playout.class);
    /** Longest sleep of a channel thread on the system clock (prune is due every 10 minutes anyway). */
    private static final Duration MAX_IDLE = Duration.ofMinutes(1);
    /** Any other clock (a test's) can jump, so the thread re-reads it this often. */
    private static final Duration POLL = Duration.ofMillis(1000);
    /** Now-playing events waiting for listeners; beyond it the oldest is dropped. */
    static final int EVENTS_QUEUED = 256;

    private static final Backoff FAILING = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final long CACHE_BYTES = 64L << 20;

    private final Map<String, ChannelPlayout> channels = new LinkedHashMap<>();
    private final Map<String, List<RtmpPusher>> pushers = new HashMap<>();
    private final List<Consumer<NowPlaying>> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<NowPlaying> events = new ArrayBlockingQueue<>(EVENTS_QUEUED);
    private final AtomicLong eventsDropped = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration maxIdle;
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;

    /** A playout whose channel time follows {@code clock} (for tools and tests that move one clock only). */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource clock) {
        this(db, catalog, ffmpeg, dataDir, configs, clock, MonotonicClock.following(clock));
    }

    /**
     * @param wall what instant a channel tick stands for
     * @param monotonic how channel time advances (steps of {@code wall} do not move it)
     * @throws IllegalArgumentException when channel ids repeat
     */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource wall,
            MonotonicClock monotonic) {
        this.maxIdle = wall.equals(InstantSource.system()) ? MAX_IDLE : POLL;
        SegmentCache cache = new SegmentCache(CACHE_BYTES);
        for (PlayoutChannel config : configs) {
            if (channels.containsKey(config.id())) {
                throw new IllegalArgumentException("channel " + config.id() + " is configured twice");
            }
            ChannelPlayout channel = new ChannelPlayout(
                    config,
                    db,
                    catalog,
                    ffmpeg,
                    dataDir.resolve("channels").resolve(config.id()),
                    wall,
                    monotonic,
                    cache);
            channels.put(config.id(), channel);
            List<RtmpPusher> list = new ArrayList<>();
            for (PushTarget target : config.pushTargets()) {
                list.add(new RtmpPusher(channel, target, ffmpeg.executable(), monotonic));
            }
            pushers.put(config.id(), List.copyOf(list));
        }
    }

    /** Opens every channel's timeline (resuming where the clock says) and starts its threads. Idempotent. */
    public void start() throws SQLException, IOException, InterruptedException {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            for (ChannelPlayout channel : channels.values()) {
                channel.open();
            }
            started = true;
            threads.add(Thread.ofVirtual().name("playout-events").start(this::deliverEvents));
            for (ChannelPlayout channel : channels.values()) {
                threads.add(Thread.ofVirtual()
                        .name("playout-" + channel.config().id())
                        .start(() -> runChannel(channel)));
                threads.add(Thread.ofVirtual()
                        .name("precut-" + channel.config().id())
                        .start(() -> channel.runPrecut(() -> closed)));
                if (channel.writer()) {
                    pushers.get(channel.config().id()).forEach(RtmpPusher::start);
                }
            }
        }
    }

    /**
     * A channel's thread: runs the channel's rounds (see {@link ChannelPlayout#step()}), announces
     * airing changes, then sleeps until the next round is due (about two wake-ups per airing), or
     * until woken. A failing round is retried after a backoff; an {@link Error} is not caught here
     * (it ends the thread, and the process's uncaught-exception handler ends the process).
     */
    private void runChannel(ChannelPlayout channel) {
        long announced = Long.MIN_VALUE;
        int failures = 0;
        boolean wasWriter = channel.writer();
        while (!closed) {
            try {
                channel.step();
                failures = 0;
                if (!wasWriter && channel.writer()) {
                    wasWriter = true;
                    pushers.get(channel.config().id()).forEach(RtmpPusher::start);
                }
                long current = channel.currentAiringSequence();
                if (current != announced) {
                    announced = current;
                    channel.nowPlayingAsPublished().ifPresent(this::announce);
                }
                channel.awaitWork(channel.idle(maxIdle));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                Duration wait = FAILING.delay(failures);
                log.error(
                        "channel {}: scheduling failed ({} in a row), retrying in {} ms: {}",
                        channel.config().id(),
                        failures,
                        wait.toMillis(),
                        e.toString(),
                        failures == 1 ? e : null);
                try {
                    channel.awaitWork(wait);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void announce(NowPlaying playing) {
        while (!events.offer(playing)) {
            if (events.poll() != null) {
                eventsDropped.incrementAndGet();
            }
        }
    }

    private void deliverEvents() {
        while (!closed) {
            NowPlaying playing;
            try {
                playing = events.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Consumer<NowPlaying> listener : listeners) {
                try {
                    listener.accept(playing);
                } catch (RuntimeException e) {
                    log.warn("a now-playing listener failed: {}", e.toString());
                }
            }
        }
    }

    /**
     * Calls {@code listener} whenever a channel's airing changes, on the playout's event thread
     * (never a channel thread); a slow listener delays only the events, which are dropped oldest
     * first beyond {@link #EVENTS_QUEUED}.
     */
    public void addListener(Consumer<NowPlaying> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<NowPlaying> listener) {
        listeners.remove(listener);
    }

    /** Now-playing events dropped because listeners fell behind. */
    public long eventsDropped() {
        return eventsDropped.get();
    }

    /** Tells the channel that clips arrived in the library (it takes them in at once, not at its next round). */
    public void clipsArrived(String channelId) {
        ChannelPlayout channel = channels.get(channelId);
        if (channel != null) {
            channel.wakeUp();
        }
    }

    /** Channel ids, in configuration order. */
    public List<String> channelIds() {
        return List.copyOf(channels.keySet());
    }

    /** True when this process decides the channel's airings; false when it follows another process's. */
    public boolean writer(String channelId) {
        return channel(channelId).writer();
    }

    /**
     * Serves a channel's HLS file by name: {@code live.m3u8} or {@code <sequence>.ts}. Names are
     * never used as paths, so nothing outside the channel can be reached.
     */
    public HlsResponse resolve(String channelId, String name) throws IOException, InterruptedException, SQLException {
        ChannelPlayout channel = channels.get(channelId);
        if (channel == null || !started) {
            return new HlsResponse.NotFound("no channel " + channelId + " on air");
        }
        return channel.resolve(name);
    }

    /** The channel's live playlist text. */
    public String playlist(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).playlist();
    }

    /** A live segment by name ({@code <sequence>.ts}), or a not-found. */
    public HlsResponse segment(String channelId, String name) throws IOException, InterruptedException, SQLException {
        if ("live.m3u8".equals(name)) {
            return new HlsResponse.NotFound("not a segment name");
        }
        return resolve(channelId, name);
    }

    /** What is on air now. */
    public Optional<NowPlaying> nowPlaying(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).nowPlaying();
    }

    /** What airs next: already scheduled, or the scheduler's choice as of its last round. */
    public Optional<NowPlaying> upNext(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).upNext();
    }

    /** Seconds of fresh (never aired) clips ready for the channel, including the unaired rest of those on air. */
    public double unairedFreshSeconds(String channelId) {
        try {
            return channel(channelId).unairedFreshSeconds();
        } catch (SQLException e) {
            throw new IllegalStateException("reading channel " + channelId + "'s fresh clips: " + e.getMessage(), e);
        }
    }

    /** The configured lookahead of the channel, in seconds. */
    public int lookaheadSeconds(String channelId) {
        return channel(channelId).config().lookaheadSeconds();
    }

    /** True when the pipeline should make more shots for the channel. */
    public boolean wantsMoreClips(String channelId) {
        return unairedFreshSeconds(channelId) < lookaheadSeconds(channelId);
    }

    ChannelPlayout channel(String channelId) {
        ChannelPlayout channel = channels.get(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("no channel " + channelId);
        }
        if (!started) {
            throw new IllegalStateException("playout is not started");
        }
        return channel;
    }

    /** The state of each RTMP push of a channel, in the configuration's order; empty when it pushes nowhere. */
    public List<PushStatus> pushes(String channelId) {
        return pushers.getOrDefault(channelId, List.of()).stream()
                .map(RtmpPusher::status)
                .toList();
    }

    List<RtmpPusher> pushers(String channelId) {
        return pushers.getOrDefault(channelId, List.of());
    }

    /** Stops push targets first, then the channel threads, then frees the writer locks; bounded. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pushers.values().stream().flatMap(List::stream).forEach(RtmpPusher::close);
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.values().forEach(ChannelPlayout::release);
    }
}
