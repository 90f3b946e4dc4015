package tv.latent.config;

import java.util.List;
import java.util.Map;
import tv.latent.media.HouseFormat;

/**
 * One channel: what it is about, its house format, the model's native format, which backends
 * serve each stage (a fallback chain, first choice first) and how far ahead it generates.
 *
 * @param slowMotion how much longer than the rendered clip the aired clip lasts (1 = real time)
 * @param interpolateFirst interpolate at model size before upscaling (cheap for ffmpeg); false
 *     upscales first (a diffusion upscaler such as Zeroscope XL wants the model's own frames)
 * @param lookaheadSeconds unaired fresh material the channel keeps ready
 * @param narration the channel's narrator ({@link Narration#OFF} for none)
 */
public record ChannelConfig(
        String id,
        String title,
        String theme,
        List<String> style,
        String musicMood,
        HouseFormat format,
        ModelFormat model,
        double slowMotion,
        boolean interpolateFirst,
        Map<StageKind, List<String>> stages,
        int lookaheadSeconds,
        List<PushTarget> push,
        Narration narration) {

    public ChannelConfig {
        style = List.copyOf(style);
        stages = Map.copyOf(stages);
        push = List.copyOf(push);
        narration = narration == null ? Narration.OFF : narration;
    }

    /** A channel without a narrator. */
    public ChannelConfig(
            String id,
            String title,
            String theme,
            List<String> style,
            String musicMood,
            HouseFormat format,
            ModelFormat model,
            double slowMotion,
            boolean interpolateFirst,
            Map<StageKind, List<String>> stages,
            int lookaheadSeconds,
            List<PushTarget> push) {
        this(
                id,
                title,
                theme,
                style,
                musicMood,
                format,
                model,
                slowMotion,
                interpolateFirst,
                stages,
                lookaheadSeconds,
                push,
                Narration.OFF);
    }

    /** The fallback chain of backend names for a stage. */
    public List<String> chain(StageKind stage) {
        return stages.getOrDefault(stage, List.of());
    }

    /** The text-to-video model's native output: Zeroscope v2 576w makes 24 frames of 576×320 at 8 fps. */
    public record ModelFormat(int width, int height, int frames, int fps) {
        public static final ModelFormat ZEROSCOPE = new ModelFormat(576, 320, 24, 8);

        public double seconds() {
            return (double) frames / fps;
        }
    }

    /**
     * An RTMP destination. The URL may sit in the YAML; the stream key comes only from the
     * environment variable {@code keyEnv}.
     */
    public record PushTarget(String name, String url, String keyEnv) {}
}
