package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;

/**
 * Text to video on a Zeroscope v2 Gradio app ({@code hysts/zeroscope-v2}):
 * {@code /run [prompt, seed, num_frames, num_inference_steps]} → Video (576×320, 8 fps).
 * Thread-safe.
 */
final class GradioZeroscopeRenderer extends GradioStage implements Renderer {
    static final List<String> PARAMETERS = List.of("prompt", "seed", "num_frames", "num_inference_steps");
    private static final int MIN_FRAMES = 24;
    private static final int MAX_FRAMES = 48;

    private final int steps;

    GradioZeroscopeRenderer(GradioApp app, int steps) {
        super(app);
        this.steps = steps;
    }

    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        int frames = Math.clamp(request.frames(), MIN_FRAMES, MAX_FRAMES);
        long seed = request.seed() % (1L << 31);
        Path target = context.newFile("render", "mp4");
        app.call((client, defaults) -> List.of(request.prompt(), seed, frames, steps), target, context);
        return RemoteOutput.of(target, app.backend(), "seed", seed, "frames", frames, "steps", steps);
    }
}
