package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tv.latent.backend.comfyui.ComfyUiClient;
import tv.latent.backend.comfyui.UploadedFile;
import tv.latent.backend.comfyui.Workflow;
import tv.latent.backend.comfyui.WorkflowInputs;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * Video to video by the user's ComfyUI workflow: uploads the clip, fills {@code {{input_video}}}
 * and the shot's values, downloads the result and refuses it unless it holds the input's frames
 * at the asked size (or the same shape, then scaled). Thread-safe.
 */
final class ComfyUiUpscaler implements Upscaler {
    private final EndpointPool<ComfyUiClient> pool;
    private final Workflow workflow;
    private final ComfyUiSettings settings;
    private final Ffmpeg ffmpeg;

    ComfyUiUpscaler(EndpointPool<ComfyUiClient> pool, Workflow workflow, ComfyUiSettings settings, Ffmpeg ffmpeg) {
        this.pool = pool;
        this.workflow = workflow;
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        Path raw = context.newFile("comfy", "mp4");
        Path target = context.newFile("upscale", "mp4");
        try {
            pool.call(settings.timeout(), (client, left) -> {
                UploadedFile uploaded = client.upload(request.input(), "latenttv", false);
                WorkflowInputs inputs = WorkflowInputs.builder()
                        .prompt(request.prompt())
                        .negativePrompt(request.negativePrompt())
                        .seed(request.seed())
                        .size(request.width(), request.height())
                        .frames((int) in.frames())
                        .fps(in.fps())
                        .steps(settings.steps())
                        .cfg(settings.cfg())
                        .denoise(settings.denoise())
                        .inputVideo(uploaded)
                        .build();
                return client.renderVideo(workflow, inputs, raw, left, new ComfyUiProgress(context.progress()));
            });
            Media.acceptUpscaled(ffmpeg, raw, target, pool.backend(), in, request.width(), request.height());
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        } finally {
            Files.deleteIfExists(raw);
        }
        context.progress().report(1, "done");
        return new StageOutput(
                target,
                pool.backend(),
                GradioApp.params(
                        "workflow",
                        settings.workflow().getFileName(),
                        "denoise",
                        settings.denoise(),
                        "width",
                        request.width(),
                        "height",
                        request.height()));
    }

    @Override
    public void close() {
        pool.close();
    }
}
