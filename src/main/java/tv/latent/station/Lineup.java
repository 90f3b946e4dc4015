package tv.latent.station;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.director.Director;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.ShotJob;
import tv.latent.pipeline.Spending;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.web.Console;

/**
 * The channels on air, changed while the station runs: a channel added, changed or removed here
 * is added to, changed in or removed from every part that knows channels (its backends' chains,
 * the pipeline, its director, the playout, the lookahead, the metrics and the web's list) without
 * a restart.
 *
 * <pre>{@code
 * lineup.add(channel, Console.Origin.CONSOLE);   // on air at once; the lookahead asks for shots
 * lineup.update(changed);                        // the next shots follow the new theme
 * lineup.remove("news", "alice");                // off air; unfinished jobs cancelled
 * }</pre>
 *
 * <p>Thread-safe: changes are serialised on this object; readers see an immutable map that is
 * replaced whole (copy on write), so a request or a metric reading the lineup never waits for a
 * change.
 */
final class Lineup {
    private static final Logger LOG = LoggerFactory.getLogger(Lineup.class);

    /** A channel on air and where it is declared. */
    record Entry(ChannelConfig config, Console.Origin origin) {}

    private final Backends backends;
    private final Pipeline pipeline;
    private final UnaryOperator<String> environment;
    private volatile Map<String, Entry> channels;
    private volatile Map<String, Director> directors;
    // the parts a serving station adds once they exist; null on a station that only makes clips
    private Playout playout;
    private Lookahead lookahead;
    private StationMetrics metrics;
    private StudioAudience audience;
    private final Function<ChannelConfig, Director> directorFor;
    private final Spending spending;

    /** @param directorFor makes a channel's director (the station's wraps it in moderation) */
    Lineup(
            List<Entry> initial,
            Backends backends,
            Pipeline pipeline,
            UnaryOperator<String> environment,
            Function<ChannelConfig, Director> directorFor,
            Spending spending) {
        this.directorFor = directorFor;
        this.spending = spending;
        this.backends = backends;
        this.pipeline = pipeline;
        this.environment = environment;
        Map<String, Entry> byId = new LinkedHashMap<>();
        Map<String, Director> directorsById = new LinkedHashMap<>();
        for (Entry entry : initial) {
            byId.put(entry.config().id(), entry);
            directorsById.put(entry.config().id(), directorFor.apply(entry.config()));
        }
        this.channels = Collections.unmodifiableMap(byId);
        this.directors = Collections.unmodifiableMap(directorsById);
    }

    /** The serving parts, once started: from now on changes reach them too. */
    synchronized void serving(Playout playout, Lookahead lookahead, StationMetrics metrics, StudioAudience audience) {
        this.audience = audience;
        this.playout = playout;
        this.lookahead = lookahead;
        this.metrics = metrics;
    }

    /** The channels on air, in order (the YAML's first). */
    List<Entry> entries() {
        return List.copyOf(channels.values());
    }

    List<ChannelConfig> configs() {
        return channels.values().stream().map(Entry::config).toList();
    }

    Optional<Entry> entry(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    java.util.Set<String> ids() {
        return channels.keySet();
    }

    Director director(String channelId) {
        Director director = directors.get(channelId);
        if (director == null) {
            throw new IllegalArgumentException(
                    "no channel '" + channelId + "' (channels: " + String.join(", ", channels.keySet()) + ")");
        }
        return director;
    }

    /** What playout needs of a channel: push targets resolved from the environment, the review policy. */
    PlayoutChannel playoutChannel(ChannelConfig channel) {
        return new PlayoutChannel(
                channel.id(),
                channel.title(),
                channel.format(),
                Station.pushTargets(channel, environment),
                channel.lookaheadSeconds(),
                channel.reviewsClips(),
                channel.narration().on() ? channel.narration().language() : "");
    }

    /**
     * Puts a new channel on air at once: its chains, its director, its timeline and threads, its
     * lookahead and metrics.
     *
     * @throws IllegalArgumentException when a channel of that id is on air already
     */
    synchronized void add(ChannelConfig channel, Console.Origin origin) throws Exception {
        if (channels.containsKey(channel.id())) {
            throw new IllegalArgumentException("id: '" + channel.id() + "' is used by another channel already");
        }
        PlayoutChannel onAir = playoutChannel(channel);
        Director director = directorFor.apply(channel);
        pipeline.putChannel(backends.stagesFor(channel));
        try {
            if (playout != null) {
                playout.addChannel(onAir);
            }
        } catch (Exception | Error e) {
            pipeline.removeChannel(channel.id());
            throw e;
        }
        publish(channel, origin, director);
        if (metrics != null) {
            metrics.addChannel(channel);
            metrics.bindBackends(backends);
        }
        if (lookahead != null) {
            lookahead.put(channel);
        }
        if (audience != null) {
            audience.put(channel);
        }
        LOG.info("channel {} is on air ({})", channel.id(), origin == Console.Origin.CONSOLE ? "console" : "YAML");
    }

    /**
     * Changes a channel on air at once: the next shots follow its new theme, style and backends;
     * playout takes its title, review policy, lookahead and pushes (a new house format restarts its
     * timeline, with a discontinuity).
     */
    synchronized void update(ChannelConfig channel) throws Exception {
        Entry was = channels.get(channel.id());
        if (was == null) {
            throw new IllegalArgumentException("no channel " + channel.id() + " on air");
        }
        PlayoutChannel onAir = playoutChannel(channel);
        Director director = directorFor.apply(channel);
        pipeline.putChannel(backends.stagesFor(channel));
        if (playout != null) {
            playout.updateChannel(onAir);
        }
        publish(channel, was.origin(), director);
        if (metrics != null) {
            metrics.removeChannel(channel.id());
            metrics.addChannel(channel);
            metrics.bindBackends(backends);
        }
        if (lookahead != null) {
            lookahead.put(channel);
        }
        if (audience != null) {
            audience.put(channel);
        }
    }

    /**
     * Takes a channel off air: its lookahead stops, its unfinished jobs are cancelled (with
     * {@code reason}), its timeline threads and pushes stop. Its clips stay in the library.
     *
     * @return false when no such channel is on air
     */
    synchronized boolean remove(String channelId, String reason) throws Exception {
        if (!channels.containsKey(channelId)) {
            return false;
        }
        if (lookahead != null) {
            lookahead.remove(channelId);
        }
        if (audience != null) {
            audience.remove(channelId);
        }
        pipeline.removeChannel(channelId);
        for (ShotJob job : pipeline.jobs().unfinished()) {
            if (job.channelId().equals(channelId)) {
                pipeline.cancel(job.id(), reason);
            }
        }
        if (playout != null) {
            playout.removeChannel(channelId);
        }
        if (metrics != null) {
            metrics.removeChannel(channelId);
        }
        Map<String, Entry> next = new LinkedHashMap<>(channels);
        next.remove(channelId);
        Map<String, Director> nextDirectors = new LinkedHashMap<>(directors);
        nextDirectors.remove(channelId);
        channels = Collections.unmodifiableMap(next);
        directors = Collections.unmodifiableMap(nextDirectors);
        LOG.info("channel {} is off air", channelId);
        return true;
    }

    private void publish(ChannelConfig channel, Console.Origin origin, Director director) {
        spending.budget(channel.id(), channel.budget());
        Map<String, Entry> next = new LinkedHashMap<>(channels);
        next.put(channel.id(), new Entry(channel, origin));
        Map<String, Director> nextDirectors = new LinkedHashMap<>(directors);
        nextDirectors.put(channel.id(), director);
        directors = Collections.unmodifiableMap(nextDirectors);
        channels = Collections.unmodifiableMap(next);
    }

    /** The ids of the channels on air, as a list (for messages). */
    List<String> idList() {
        return new ArrayList<>(channels.keySet());
    }
}
