package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import tv.latent.backend.a1111.A1111Client;
import tv.latent.backend.a1111.T2vRequest;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * Video to video at the channel's size on AUTOMATIC1111 (sd-webui-text2video's vid2vid, the way
 * Zeroscope XL is run there), with the shot's prompt and a denoising strength. Thread-safe.
 */
final class A1111Upscaler implements Upscaler {
    private final EndpointPool<A1111Client> pool;
    private final A1111Settings settings;
    private final Ffmpeg ffmpeg;

    A1111Upscaler(EndpointPool<A1111Client> pool, A1111Settings settings, Ffmpeg ffmpeg) {
        this.pool = pool;
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo in = VideoInput.probe(ffmpeg, request.input());
        MediaInfo.Video v = in.video().orElseThrow();
        T2vRequest t2v = A1111Renderer.base(settings, request.prompt(), request.negativePrompt(), request.seed())
                .size(request.width(), request.height())
                .frames((int) v.frames())
                .fps((int) Math.round(v.fps()))
                .vid2vid(request.input(), settings.strength())
                .build();
        Path target = context.newFile("upscale", "mp4");
        context.progress().report(0, "upscaling on " + pool.backend());
        pool.call(settings.timeout(), (client, left) -> client.render(t2v, target, left)
                .video());
        context.progress().report(1, "done");
        return new StageOutput(
                target,
                pool.backend(),
                GradioApp.params(
                        "model",
                        settings.model(),
                        "strength",
                        settings.strength(),
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
