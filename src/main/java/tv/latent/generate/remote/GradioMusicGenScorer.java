package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tv.latent.backend.gradio.FileData;
import tv.latent.backend.gradio.GradioClient;
import tv.latent.backend.gradio.GradioResult;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.media.Ffmpeg;

/**
 * Music from MusicGen on Gradio ({@code facebook/MusicGen} {@code /predict_batched [text, melody]}
 * → [waveform video, audio]). MusicGen makes a fixed length (about 15 s); the audio is looped or
 * trimmed with ffmpeg to the asked seconds, as 48 kHz stereo WAV. With a configured melody file,
 * that file is uploaded and sent as the tune to follow; without, the melody input is null.
 * Thread-safe.
 */
final class GradioMusicGenScorer extends GradioStage implements Scorer {
    static final List<String> PARAMETERS = List.of("text", "melody");

    private final Ffmpeg ffmpeg;
    private final Path melody;

    /** @param melody an audio file whose tune MusicGen follows (uploaded with each call), or null */
    GradioMusicGenScorer(GradioApp app, Ffmpeg ffmpeg, Path melody) {
        super(app);
        this.ffmpeg = ffmpeg;
        this.melody = melody;
    }

    @Override
    public StageOutput score(ScoreRequest request, StageContext context) throws IOException, InterruptedException {
        Path raw = context.newFile("musicgen", "audio");
        try {
            app.call(
                    new GradioApp.Exchange() {
                        @Override
                        public List<?> inputs(GradioClient client, GradioApp.ApiDefaults defaults) throws IOException {
                            List<Object> inputs = new ArrayList<>();
                            inputs.add(request.musicPrompt());
                            inputs.add(melody == null ? null : client.fileInput(client.upload(melody)));
                            inputs.addAll(defaults.trailing());
                            return inputs;
                        }

                        @Override
                        public FileData output(GradioResult result) throws IOException {
                            // the audio is the last output; the first is a waveform video on the hosted Space
                            return result.file(result.data().size() - 1);
                        }
                    },
                    raw,
                    context);
            Path target = context.newFile("score", "wav");
            Media.fitAudio(ffmpeg, raw, target, request.seconds());
            return RemoteOutput.of(
                    target,
                    app.backend(),
                    "seconds",
                    request.seconds(),
                    "melody",
                    melody == null ? "none" : melody.getFileName());
        } finally {
            Files.deleteIfExists(raw);
        }
    }
}
