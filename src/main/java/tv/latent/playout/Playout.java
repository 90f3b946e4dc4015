package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;

/**
 * Live playout of every channel of the process: timelines, HLS and RTMP push.
 *
 * <pre>{@code
 * try (Playout playout = new Playout(db, catalog, ffmpeg, dataDir, channels, InstantSource.system())) {
 *   playout.addListener(now -> sse.broadcast(now));
 *   playout.start();
 *   // GET /channels/{id}/{name}: playout.resolve(id, name) → Found(body, type, cache) or NotFound
 *   // the pipeline: while playout.unairedFreshSeconds(id) < playout.lookaheadSeconds(id), make shots
 * }
 * }</pre>
 *
 * <p>{@link #start()} opens each channel's timeline and starts one virtual thread per channel
 * (scheduling ahead of the live edge, "now playing" events, pruning; it sleeps until the next of
 * these is due on {@link InstantSource#system()}, and re-reads any other clock every second) and
 * one virtual thread plus one ffmpeg per push target. Clip segments go in {@code hls/} beside each master; channel files
 * (slates) in {@code {dataDir}/channels/{id}/}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and stops everything within seconds.
 */
public final class Playout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Playout.class);
    /** Shortest sleep of a channel thread: a floor against spinning should the next event be due already. */
    private static final Duration MIN_IDLE = Duration.ofMillis(20);
    /** Longest sleep of a channel thread on the system clock (prune is due every 10 minutes anyway). */
    private static final Duration MAX_IDLE = Duration.ofMinutes(1);
    /** Any other clock (a test's) can jump, so the thread re-reads it this often. */
    private static final Duration POLL = Duration.ofMillis(1000);

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final long CACHE_BYTES = 64L << 20;

    private final Map<String, ChannelPlayout> channels = new LinkedHashMap<>();
    private final Map<String, List<RtmpPusher>> pushers = new HashMap<>();
    private final List<Consumer<NowPlaying>> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final InstantSource clock;
    private final Duration maxIdle;
    private final Object lifecycle = new Object();
    private volatile boolean started;
    private volatile boolean closed;

    /** @throws IllegalArgumentException when channel ids repeat */
    public Playout(
            Database db,
            ClipCatalog catalog,
            Ffmpeg ffmpeg,
            Path dataDir,
            List<PlayoutChannel> configs,
            InstantSource clock) {
        this.clock = clock;
        this.maxIdle = clock.equals(InstantSource.system()) ? MAX_IDLE : POLL;
        SegmentCache cache = new SegmentCache(CACHE_BYTES);
        for (PlayoutChannel config : configs) {
            if (channels.containsKey(config.id())) {
                throw new IllegalArgumentException("channel " + config.id() + " is configured twice");
            }
            ChannelPlayout channel = new ChannelPlayout(
                    config, db, catalog, ffmpeg, dataDir.resolve("channels").resolve(config.id()), clock, cache);
            channels.put(config.id(), channel);
            List<RtmpPusher> list = new ArrayList<>();
            for (PushTarget target : config.pushTargets()) {
                list.add(new RtmpPusher(channel, target, ffmpeg.executable(), clock));
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
                channel.schedule(clock.instant());
            }
            started = true;
            for (ChannelPlayout channel : channels.values()) {
                threads.add(Thread.ofVirtual()
                        .name("playout-" + channel.config().id())
                        .start(() -> runChannel(channel)));
                pushers.get(channel.config().id()).forEach(RtmpPusher::start);
            }
        }
    }

    /**
     * A channel's thread: schedules, announces airing changes, precuts fresh clips and prunes,
     * then sleeps until the next of these is due (about two wake-ups per airing), or until the
     * catalog shows a new clip.
     */
    private void runChannel(ChannelPlayout channel) {
        long announced = Long.MIN_VALUE;
        Instant lastPrune = Instant.MIN;
        while (!closed) {
            try {
                Instant now = clock.instant();
                channel.schedule(now);
                long current = channel.currentAiringSequence(now);
                if (current != announced) {
                    announced = current;
                    Optional<NowPlaying> playing = channel.nowPlaying(now);
                    playing.ifPresent(this::announce);
                }
                channel.precut();
                if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
                    channel.prune(now);
                    lastPrune = now;
                }
                // 1 ms past the due instant: the timeline counts whole milliseconds
                Duration idle =
                        Duration.between(clock.instant(), channel.nextDue(now)).plusMillis(1);
                channel.awaitWork(
                        idle.compareTo(maxIdle) > 0 ? maxIdle : idle.compareTo(MIN_IDLE) < 0 ? MIN_IDLE : idle);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.error(
                        "channel {}: scheduling failed, retrying: {}",
                        channel.config().id(),
                        e.toString());
                try {
                    Thread.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void announce(NowPlaying playing) {
        for (Consumer<NowPlaying> listener : listeners) {
            try {
                listener.accept(playing);
            } catch (RuntimeException e) {
                log.warn("a now-playing listener failed: {}", e.toString());
            }
        }
    }

    /** Calls {@code listener} (on a playout thread; keep it short) whenever a channel's airing changes. */
    public void addListener(Consumer<NowPlaying> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<NowPlaying> listener) {
        listeners.remove(listener);
    }

    /** Channel ids, in configuration order. */
    public List<String> channelIds() {
        return List.copyOf(channels.keySet());
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
        return channel(channelId).nowPlaying(clock.instant());
    }

    /** What airs next: already scheduled, or the scheduler's choice as of now. */
    public Optional<NowPlaying> upNext(String channelId) throws IOException, InterruptedException, SQLException {
        return channel(channelId).upNext(clock.instant());
    }

    /** Seconds of fresh (never aired) clips ready for the channel, including the unaired rest of those on air. */
    public double unairedFreshSeconds(String channelId) {
        return channel(channelId).unairedFreshSeconds(clock.instant());
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

    List<RtmpPusher> pushers(String channelId) {
        return pushers.getOrDefault(channelId, List.of());
    }

    /** Stops push targets first, then the channel threads; bounded. Idempotent. */
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
                return;
            }
        }
    }
}
