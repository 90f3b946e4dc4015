package tv.latent.pipeline;

import java.util.List;
import tv.latent.config.ChannelConfig;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.Speaker;
import tv.latent.generate.Upscaler;

/**
 * A channel's fallback chains of backends, first choice first, one per stage.
 *
 * @param speak the narrator's voices; empty for a channel without a narrator
 */
public record ChannelStages(
        ChannelConfig channel,
        List<Backend<Renderer>> render,
        List<Backend<Upscaler>> upscale,
        List<Backend<Interpolator>> interpolate,
        List<Backend<Scorer>> score,
        List<Backend<Speaker>> speak) {

    public ChannelStages {
        render = List.copyOf(render);
        upscale = List.copyOf(upscale);
        interpolate = List.copyOf(interpolate);
        score = List.copyOf(score);
        speak = List.copyOf(speak);
    }

    /** A channel without a narrator's voice. */
    public ChannelStages(
            ChannelConfig channel,
            List<Backend<Renderer>> render,
            List<Backend<Upscaler>> upscale,
            List<Backend<Interpolator>> interpolate,
            List<Backend<Scorer>> score) {
        this(channel, render, upscale, interpolate, score, List.of());
    }
}
