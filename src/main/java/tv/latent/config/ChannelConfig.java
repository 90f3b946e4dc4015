package tv.latent.config;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import tv.latent.media.HouseFormat;
import tv.latent.schedule.Schedule;

/**
 * One channel: what it is about, its house format, the model's native format, which backends
 * serve each stage (a fallback chain, first choice first) and how far ahead it generates.
 *
 * @param slowMotion how much longer than the rendered clip the aired clip lasts (1 = real time)
 * @param interpolateFirst interpolate at model size before upscaling (cheap for ffmpeg); false
 *     upscales first (a diffusion upscaler such as Zeroscope XL wants the model's own frames)
 * @param lookaheadSeconds unaired fresh material the channel keeps ready
 * @param number its number in guides and tuners; empty: one is assigned and kept
 * @param logo the URL of its logo for guides and media centers; empty: none configured
 * @param schedule its programme schedule ({@link Schedule#NONE}: its own theme all day)
 * @param studio its review policy, whether it takes viewers' suggestions, its Twitch chat
 * @param continuity shots of a director's sequence continue each other (image to video from the
 *     previous shot's last frame)
 * @param budget the channel's own spend caps
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
        OptionalInt number,
        String logo,
        Schedule schedule,
        StudioConfig.Channel studio,
        boolean continuity,
        Budget budget,
        Narration narration) {

    public ChannelConfig {
        style = List.copyOf(style);
        stages = Map.copyOf(stages);
        push = List.copyOf(push);
        number = number == null ? OptionalInt.empty() : number;
        logo = logo == null ? "" : logo;
        schedule = schedule == null ? Schedule.NONE : schedule;
        studio = studio == null ? StudioConfig.Channel.DEFAULT : studio;
        budget = budget == null ? Budget.UNLIMITED : budget;
        narration = narration == null ? Narration.OFF : narration;
    }

    /** A channel with the default studio settings (policy auto, suggestions open, no Twitch chat) no number, logo or schedule of its own, shots that stand alone no spend caps of its own and no narrator. */
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
                OptionalInt.empty(),
                "",
                Schedule.NONE,
                StudioConfig.Channel.DEFAULT,
                false,
                Budget.UNLIMITED,
                Narration.OFF);
    }

    /** What waits for an operator before it airs on this channel. */
    public StudioConfig.Policy policy() {
        return studio.policy();
    }

    /** Every clip waits for an operator's approval before it may air. */
    public boolean reviewsClips() {
        return studio.policy() == StudioConfig.Policy.REVIEW_CLIPS;
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
