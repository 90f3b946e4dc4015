package tv.latent.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Text-to-video models' native output by name, so a channel's {@code model:} can say
 * {@code zeroscope-576w} instead of frame sizes. Explicit numbers next to a preset still win
 * ({@code model: {preset: modelscope-256, frames: 24}}).
 */
public enum ModelPreset {
    /** Zeroscope v2 576w (the original AI WebTV's model): 576×320, 24 frames at 8 fps. */
    ZEROSCOPE_576W("zeroscope-576w", 576, 320, 24, 8),
    /** Zeroscope v2 XL, run as a model of its own: 1024×576, 24 frames at 8 fps. */
    ZEROSCOPE_XL("zeroscope-xl", 1024, 576, 24, 8),
    /** ModelScope text-to-video (damo-vilab) at its native 256 px: 16 frames at 8 fps. */
    MODELSCOPE_256("modelscope-256", 256, 256, 16, 8),
    /**
     * ModelScope's low-VRAM setting from its article: 192 px and 16 to 24 frames (24 here; say
     * {@code frames: 16} for the smallest cards).
     */
    MODELSCOPE_192("modelscope-192", 192, 192, 24, 8),
    /** Wan 2.1/2.2 at 480p (fal's and Replicate's Wan apps): 832×480, 81 frames at 16 fps. */
    WAN_480P("wan-480p", 832, 480, 81, 16),
    /** Wan 2.2 TI2V 5B (the ComfyUI examples' model): 1280×704, 121 frames at 24 fps. */
    WAN_TI2V_5B("wan2.2-ti2v-5b", 1280, 704, 121, 24),
    /** LTX-Video (fal-ai/ltx-video, ComfyUI's LTXV nodes): 768×512, 97 frames at 24 fps. */
    LTX_VIDEO("ltx-video", 768, 512, 97, 24);

    private final String key;
    private final ChannelConfig.ModelFormat format;

    ModelPreset(String key, int width, int height, int frames, int fps) {
        this.key = key;
        this.format = new ChannelConfig.ModelFormat(width, height, frames, fps);
    }

    /** The YAML name, e.g. {@code zeroscope-576w}. */
    public String key() {
        return key;
    }

    public ChannelConfig.ModelFormat format() {
        return format;
    }

    public static Optional<ModelPreset> of(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    /** Every preset's name, sorted, for error messages. */
    public static Set<String> keys() {
        return Arrays.stream(values()).map(ModelPreset::key).collect(Collectors.toCollection(TreeSet::new));
    }
}
