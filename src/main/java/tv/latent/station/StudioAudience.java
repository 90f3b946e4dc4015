package tv.latent.station;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.audience.Audience;
import tv.latent.audience.TwitchInput;
import tv.latent.config.ChannelConfig;
import tv.latent.config.StudioConfig;
import tv.latent.director.Director;

/**
 * The audience side of the channels on air: each channel's audience loop (suggestions, votes,
 * review) and its Twitch chat, kept in step with the lineup as channels come, change and go.
 *
 * <p>Thread-safety: the lineup calls it under its own lock; {@link #close()} may come from any
 * thread and is idempotent.
 */
final class StudioAudience implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StudioAudience.class);

    private final Audience audience;
    private final StudioConfig.TwitchServer server;
    private final UnaryOperator<String> environment;
    private final Function<String, Director> directors;
    private final Map<String, TwitchInput> chats = new LinkedHashMap<>();
    private final java.util.Set<String> open = new java.util.HashSet<>();
    private boolean closed;

    StudioAudience(
            Audience audience,
            StudioConfig.TwitchServer server,
            UnaryOperator<String> environment,
            Function<String, Director> directors) {
        this.audience = audience;
        this.server = server;
        this.environment = environment;
        this.directors = directors;
    }

    /** Opens (or changes) a channel's audience loop and (re)starts its Twitch chat when it has one. */
    synchronized void put(ChannelConfig channel) {
        if (closed) {
            return;
        }
        Audience.Channel desk = new Audience.Channel(
                channel.id(),
                new Director.ChannelBrief(
                        channel.id(), channel.title(), channel.theme(), channel.style(), channel.musicMood()),
                channel.studio().policy(),
                channel.studio().suggestions(),
                directors.apply(channel.id()));
        if (open.add(channel.id())) {
            audience.addChannel(desk);
        } else {
            audience.updateChannel(desk);
        }
        stopChat(channel.id());
        if (channel.studio().twitch().isPresent() && channel.studio().suggestions()) {
            TwitchInput chat =
                    new TwitchInput(channel.id(), channel.studio().twitch().get(), server, audience, environment);
            chats.put(channel.id(), chat);
            chat.start();
        }
    }

    /** Closes a channel's audience loop and its Twitch chat; its suggestions stay stored. */
    synchronized void remove(String channelId) {
        stopChat(channelId);
        if (open.remove(channelId)) {
            audience.removeChannel(channelId);
        }
    }

    private void stopChat(String channelId) {
        TwitchInput chat = chats.remove(channelId);
        if (chat != null) {
            try {
                chat.close();
            } catch (RuntimeException e) {
                LOG.warn("channel {}: closing its Twitch chat failed: {}", channelId, e.toString());
            }
        }
    }

    /** Closes every Twitch chat, then the audience loop. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String id : java.util.List.copyOf(chats.keySet())) {
            stopChat(id);
        }
        audience.close();
    }
}
