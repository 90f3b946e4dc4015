package tv.latent.generate;

import java.time.Duration;
import java.util.Objects;
import tv.latent.media.Ffmpeg;

/**
 * Makes the embedded stage backends: the ones that need no GPU, no network and no model weights,
 * so a laptop runs a whole channel and every test runs the real pipeline.
 *
 * <pre>{@code
 * Ffmpeg ffmpeg = Ffmpeg.locate(2);
 * Renderer renderer = EmbeddedStages.renderer(ffmpeg);            // "procedural", not AI
 * Upscaler upscaler = EmbeddedStages.upscaler(ffmpeg);            // "ffmpeg": lanczos + unsharp
 * Interpolator interpolator = EmbeddedStages.interpolator(ffmpeg, InterpolationMode.parse("mci"));
 * Scorer scorer = EmbeddedStages.scorer();                        // "procedural" music
 * }</pre>
 *
 * <p>Every backend made here is thread-safe and holds nothing that needs closing; ffmpeg runs
 * go through the shared {@link Ffmpeg}, which caps how many run at once.
 */
public final class EmbeddedStages {
    /** How long one ffmpeg run of an embedded stage may take before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private EmbeddedStages() {}

    /** The procedural renderer; its outputs say "procedural" and carry the note "procedural renderer, not AI". */
    public static Renderer renderer(Ffmpeg ffmpeg) {
        return renderer(ffmpeg, DEFAULT_TIMEOUT);
    }

    public static Renderer renderer(Ffmpeg ffmpeg, Duration timeout) {
        return new ProceduralRenderer(Objects.requireNonNull(ffmpeg), positive(timeout));
    }

    /** Lanczos scaling with a light unsharp mask. */
    public static Upscaler upscaler(Ffmpeg ffmpeg) {
        return upscaler(ffmpeg, DEFAULT_TIMEOUT);
    }

    public static Upscaler upscaler(Ffmpeg ffmpeg, Duration timeout) {
        return new FfmpegUpscaler(Objects.requireNonNull(ffmpeg), positive(timeout));
    }

    /** ffmpeg minterpolate, motion-compensated or blended. */
    public static Interpolator interpolator(Ffmpeg ffmpeg, InterpolationMode mode) {
        return interpolator(ffmpeg, mode, DEFAULT_TIMEOUT);
    }

    public static Interpolator interpolator(Ffmpeg ffmpeg, InterpolationMode mode, Duration timeout) {
        return new FfmpegInterpolator(Objects.requireNonNull(ffmpeg), Objects.requireNonNull(mode), positive(timeout));
    }

    /** Procedural music from mood words; needs no ffmpeg. */
    public static Scorer scorer() {
        return new ProceduralScorer();
    }

    private static Duration positive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("stage timeout must be positive, got " + timeout);
        }
        return timeout;
    }
}
