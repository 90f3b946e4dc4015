package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tv.latent.generate.Interpolator;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * Frame interpolation with FILM on Gradio ({@code fffiloni/video_frame_interpolation}, fn_index 1:
 * {@code [video, interpolation steps 1..4, output fps]}). Each step doubles the frames; the result
 * is then retimed with ffmpeg to exactly the asked rate and length. Thread-safe.
 */
final class GradioFilmInterpolator extends GradioStage implements Interpolator {
    static final List<String> PARAMETERS = List.of("video", "times_to_interpolate", "fps");

    private final Ffmpeg ffmpeg;

    GradioFilmInterpolator(GradioApp app, Ffmpeg ffmpeg) {
        super(app);
        this.ffmpeg = ffmpeg;
    }

    @Override
    public StageOutput interpolate(InterpolateRequest request, StageContext context)
            throws IOException, InterruptedException {
        MediaInfo in = VideoInput.probe(ffmpeg, request.input());
        double inFps = in.video().orElseThrow().fps();
        double seconds = in.videoSeconds();
        int steps = stepsFor(inFps, request.fps() * request.slowMotion());
        Path raw = context.newFile("film", "mp4");
        try {
            app.call(
                    (client, defaults) -> List.of(
                            client.videoInput(client.upload(request.input())), steps, Integer.toString(request.fps())),
                    raw,
                    context);
            Path target = context.newFile("interpolate", "mp4");
            Media.retime(ffmpeg, raw, target, seconds * request.slowMotion(), request.fps(), app.backend());
            return RemoteOutput.of(
                    target, app.backend(), "steps", steps, "fps", request.fps(), "slowMotion", request.slowMotion());
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** FILM steps (1..4) so that the made frames reach the wanted rate: 2^steps × input fps. */
    static int stepsFor(double inputFps, double wantedFps) {
        int steps = 1;
        while (steps < 4 && inputFps * (1 << steps) < wantedFps - 1e-6) {
            steps++;
        }
        return steps;
    }
}
