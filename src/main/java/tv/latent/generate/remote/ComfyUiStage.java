package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import tv.latent.backend.comfyui.ComfyUiClient;
import tv.latent.backend.comfyui.Placeholder;
import tv.latent.backend.comfyui.UploadedFile;
import tv.latent.backend.comfyui.Workflow;
import tv.latent.backend.comfyui.WorkflowInputs;
import tv.latent.generate.Continuation;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * The user's ComfyUI workflow with the shot's values filled in: text to video (render), image to
 * video (a continuing shot's start frame uploaded into {@code {{input_image}}} of the second
 * workflow), or video to video (upscale: the clip is uploaded into {@code {{input_video}}}, and the
 * result refused unless it holds the input's frames at the asked size, or the same shape, then
 * scaled).
 * Thread-safe.
 */
final class ComfyUiStage implements Renderer, Upscaler, Circuits {
    private final EndpointPool<ComfyUiClient> pool;
    private final Workflow workflow;
    private final Workflow imageWorkflow;
    private final ComfyUiSettings settings;
    private final Ffmpeg ffmpeg;

    /**
     * @param imageWorkflow the image-to-video workflow for shots that continue, or null
     * @param ffmpeg probes and scales what an upscale sends back; null for a stage that only renders
     */
    ComfyUiStage(
            EndpointPool<ComfyUiClient> pool,
            Workflow workflow,
            Workflow imageWorkflow,
            ComfyUiSettings settings,
            Ffmpeg ffmpeg) {
        if (imageWorkflow != null && !imageWorkflow.placeholders().contains(Placeholder.INPUT_IMAGE)) {
            throw new IllegalArgumentException(
                    "the image-to-video workflow " + imageWorkflow.source() + " has no {{input_image}}");
        }
        this.pool = pool;
        this.workflow = workflow;
        this.imageWorkflow = imageWorkflow;
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    public boolean continues() {
        return imageWorkflow != null;
    }

    /**
     * Text to video; or, when the shot continues another and an image-to-video workflow is set,
     * that workflow with the previous shot's last frame uploaded into {@code {{input_image}}}.
     */
    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        WorkflowInputs.Builder inputs = inputs(request.prompt(), request.negativePrompt(), request.seed())
                .size(request.width(), request.height())
                .frames(request.frames())
                .fps(request.fps())
                .denoise(1.0);
        Continuation continuation = continues() ? request.continuation() : null;
        Workflow chosen = continuation == null ? workflow : imageWorkflow;
        Path target = context.newFile("render", "mp4");
        pool.call(settings.timeout(), (client, left) -> {
            if (continuation != null) {
                inputs.inputImage(client.upload(continuation.lastFrame(), "latenttv", false));
            }
            return client.renderVideo(chosen, inputs.build(), target, left, new ComfyUiProgress(context.progress()));
        });
        context.progress().report(1, "done");
        Path file = continuation == null ? settings.workflow() : settings.imageWorkflow();
        List<Object> params = new java.util.ArrayList<>(
                List.of("workflow", file.getFileName(), "seed", request.seed(), "steps", settings.steps()));
        if (continuation != null) {
            params.addAll(List.of(Continuation.CONTINUES, continuation.shot(), Continuation.HOW, "image-to-video"));
        }
        return RemoteOutput.of(target, pool.backend(), params.toArray());
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        if (ffmpeg == null) {
            throw new IllegalStateException(pool.backend() + " was built to render only");
        }
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        Path target = Media.upscaleVia(
                ffmpeg,
                request,
                context,
                "comfy",
                pool.backend(),
                in,
                raw -> pool.call(settings.timeout(), (client, left) -> {
                    UploadedFile uploaded = client.upload(request.input(), "latenttv", false);
                    WorkflowInputs inputs = inputs(request.prompt(), request.negativePrompt(), request.seed())
                            .size(request.width(), request.height())
                            .frames((int) in.frames())
                            .fps(in.fps())
                            .denoise(settings.denoise())
                            .inputVideo(uploaded)
                            .build();
                    return client.renderVideo(workflow, inputs, raw, left, new ComfyUiProgress(context.progress()));
                }));
        context.progress().report(1, "done");
        return RemoteOutput.of(
                target,
                pool.backend(),
                "workflow",
                settings.workflow().getFileName(),
                "denoise",
                settings.denoise(),
                "width",
                request.width(),
                "height",
                request.height());
    }

    private WorkflowInputs.Builder inputs(String prompt, String negativePrompt, long seed) {
        return WorkflowInputs.builder()
                .prompt(prompt)
                .negativePrompt(negativePrompt)
                .seed(seed)
                .steps(settings.steps())
                .cfg(settings.cfg());
    }

    @Override
    public List<EndpointPool.Circuit> circuits() {
        return pool.circuits();
    }

    @Override
    public void close() {
        pool.close();
    }
}
