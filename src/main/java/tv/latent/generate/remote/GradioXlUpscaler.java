package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * Video to video on a Zeroscope XL Gradio app: uploads the clip, calls {@code [video, prompt, ...]}
 * (later parameters keep the app's defaults, read from {@code /info}) and downloads the result
 * (1024×576, scaled to the channel's size when the shape matches). Results that are not the
 * input's frames at that size are refused. Thread-safe.
 */
final class GradioXlUpscaler extends GradioStage implements Upscaler {
    static final List<String> PARAMETERS = List.of("video", "prompt");

    private final Ffmpeg ffmpeg;

    GradioXlUpscaler(GradioApp app, Ffmpeg ffmpeg) {
        super(app);
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        Path target = Media.upscaleVia(
                ffmpeg,
                request,
                context,
                "xl",
                app.backend(),
                in,
                raw -> app.call(
                        (client, defaults) -> {
                            List<Object> inputs = new ArrayList<>();
                            inputs.add(client.videoInput(client.upload(request.input())));
                            inputs.add(request.prompt());
                            inputs.addAll(defaults.trailing());
                            return inputs;
                        },
                        raw,
                        context));
        return RemoteOutput.of(target, app.backend(), "width", request.width(), "height", request.height());
    }
}
