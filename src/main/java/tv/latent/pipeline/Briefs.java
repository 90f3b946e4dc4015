package tv.latent.pipeline;

import tv.latent.config.ChannelConfig;
import tv.latent.config.Narration;
import tv.latent.director.Director;

/**
 * What a director is told of a channel: its theme, style and music, and its narrator with the
 * words one shot has time for ({@link NarrationFit#wordsFor} the channel's clip length). The
 * lookahead and the {@code generate} command ask directors with it. Stateless and thread-safe.
 */
public final class Briefs {
    private Briefs() {}

    /** The brief of {@code channel}. */
    public static Director.ChannelBrief of(ChannelConfig channel) {
        return new Director.ChannelBrief(
                channel.id(),
                channel.title(),
                channel.theme(),
                channel.style(),
                channel.musicMood(),
                narration(channel));
    }

    static Director.NarrationBrief narration(ChannelConfig channel) {
        Narration n = channel.narration();
        if (!n.on()) {
            return Director.NarrationBrief.OFF;
        }
        Director.NarrationBrief.Mode mode = n.mode() == Narration.Mode.SEQUENCE
                ? Director.NarrationBrief.Mode.SEQUENCE
                : Director.NarrationBrief.Mode.SHOT;
        return new Director.NarrationBrief(
                mode, n.persona(), n.language(), NarrationFit.wordsFor(Lookahead.clipSeconds(channel)));
    }
}
