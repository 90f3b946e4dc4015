package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tv.latent.media.Ffmpeg;

/**
 * The embedded upscaler: Lanczos scaling to cover the target size, a centre crop for any
 * difference in aspect ratio (576×320 is 1.8:1, 1024×576 is 16:9), and a light unsharp mask.
 * Keeps the input's frame rate and frame count; ignores the prompt. Its outputs say "ffmpeg". Being
 * only filters, it can also run inside the master's ffmpeg run ({@link FilterStage}).
 *
 * <pre>{@code
 * Upscaler upscaler = new FfmpegUpscaler(Ffmpeg.locate(2), Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Thread-safe and holds nothing that needs closing; its ffmpeg runs go through the shared
 * {@link Ffmpeg}, which caps how many run at once.
 */
public final class FfmpegUpscaler implements Upscaler, FilterStage {
    static final String BACKEND = "ffmpeg";
    private static final String SHARPEN = "unsharp=5:5:0.6:5:5:0.0";

    private final Ffmpeg ffmpeg;
    private final Duration timeout;

    /** An upscaler whose ffmpeg runs may each take up to {@code timeout}. */
    public FfmpegUpscaler(Ffmpeg ffmpeg, Duration timeout) {
        this.ffmpeg = Objects.requireNonNull(ffmpeg);
        this.timeout = Intermediate.positiveTimeout(timeout);
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        VideoShape in = VideoInput.shape(ffmpeg, request.input());
        FilterPlan plan = plan(in, new Goal(request.width(), request.height(), 1, 1));
        Path target = context.newFile("upscale", "mp4");
        double seconds = in.seconds();
        Intermediate.encode(
                ffmpeg,
                List.of("-i", request.input().toString(), "-vf", plan.chain(), "-fps_mode", "passthrough"),
                target,
                timeout,
                null,
                done -> context.progress().report(seconds > 0 ? Math.min(0.99, done / seconds) : -1, "upscaling"),
                "upscale failed");
        context.progress().report(1, "upscaled to " + request.width() + "x" + request.height());
        Map<String, String> params = new LinkedHashMap<>(plan.params());
        params.put("encoding", Intermediate.ENCODING);
        return new StageOutput(target, BACKEND, params);
    }

    /** Lanczos to cover {@code goal}'s size, a centre crop to it, the unsharp mask; rate and frames unchanged. */
    @Override
    public FilterPlan plan(VideoShape input, Goal goal) throws StageException {
        int w = goal.width();
        int h = goal.height();
        Intermediate.require(
                w >= 16 && h >= 16 && w <= 7680 && h <= 4320 && w % 2 == 0 && h % 2 == 0,
                "upscale size must be even, 16..7680 × 16..4320, got " + w + "×" + h);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("filter", "lanczos+" + SHARPEN);
        params.put("size", w + "x" + h);
        params.put("from", input.width() + "x" + input.height());
        return new FilterPlan(
                BACKEND,
                List.of(
                        "scale=" + w + ":" + h + ":force_original_aspect_ratio=increase:flags=lanczos",
                        "crop=" + w + ":" + h,
                        SHARPEN,
                        "setsar=1"),
                new VideoShape(w, h, input.fps(), input.frames()),
                params);
    }
}
