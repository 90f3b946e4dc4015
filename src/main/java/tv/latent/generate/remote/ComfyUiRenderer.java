package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import tv.latent.backend.comfyui.ComfyUiClient;
import tv.latent.backend.comfyui.Workflow;
import tv.latent.backend.comfyui.WorkflowInputs;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;

/** Text to video by running the user's ComfyUI workflow with the shot's values filled in. Thread-safe. */
final class ComfyUiRenderer implements Renderer {
    private final EndpointPool<ComfyUiClient> pool;
    private final Workflow workflow;
    private final ComfyUiSettings settings;

    ComfyUiRenderer(EndpointPool<ComfyUiClient> pool, Workflow workflow, ComfyUiSettings settings) {
        this.pool = pool;
        this.workflow = workflow;
        this.settings = settings;
    }

    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        WorkflowInputs inputs = WorkflowInputs.builder()
                .prompt(request.prompt())
                .negativePrompt(request.negativePrompt())
                .seed(request.seed())
                .size(request.width(), request.height())
                .frames(request.frames())
                .fps(request.fps())
                .steps(settings.steps())
                .cfg(settings.cfg())
                .denoise(1.0)
                .build();
        Path target = context.newFile("render", "mp4");
        pool.call(
                settings.timeout(),
                (client, left) ->
                        client.renderVideo(workflow, inputs, target, left, new ComfyUiProgress(context.progress())));
        context.progress().report(1, "done");
        return new StageOutput(
                target,
                pool.backend(),
                GradioApp.params(
                        "workflow",
                        settings.workflow().getFileName(),
                        "seed",
                        request.seed(),
                        "steps",
                        settings.steps()));
    }

    @Override
    public void close() {
        pool.close();
    }
}
