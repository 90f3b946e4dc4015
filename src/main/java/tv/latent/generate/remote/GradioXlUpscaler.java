package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
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
final class GradioXlUpscaler implements Upscaler, StartupCheck {
    static final List<String> PARAMETERS = List.of("video", "prompt");

    private final GradioApp app;
    private final Ffmpeg ffmpeg;

    GradioXlUpscaler(GradioApp app, Ffmpeg ffmpeg) {
        this.app = app;
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        Path raw = context.newFile("xl", "mp4");
        Path target = context.newFile("upscale", "mp4");
        try {
            app.call(
                    (client, defaults) -> {
                        List<Object> inputs = new ArrayList<>();
                        inputs.add(client.videoInput(client.upload(request.input())));
                        inputs.add(request.prompt());
                        inputs.addAll(defaults.trailing());
                        return inputs;
                    },
                    raw,
                    context);
            Media.acceptUpscaled(ffmpeg, raw, target, app.backend(), in, request.width(), request.height());
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        } finally {
            Files.deleteIfExists(raw);
        }
        return new StageOutput(
                target, app.backend(), GradioApp.params("width", request.width(), "height", request.height()));
    }

    @Override
    public List<String> checkAtStart() throws StageException, InterruptedException {
        return app.checkAtStart();
    }

    @Override
    public void close() {
        app.close();
    }
}
