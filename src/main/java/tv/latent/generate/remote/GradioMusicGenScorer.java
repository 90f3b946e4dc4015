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
 * trimmed with ffmpeg to the asked seconds, as 48 kHz stereo WAV. Thread-safe.
 */
final class GradioMusicGenScorer implements Scorer {
  static final List<String> PARAMETERS = List.of("text", "melody");

  private final GradioApp app;
  private final Ffmpeg ffmpeg;

  GradioMusicGenScorer(GradioApp app, Ffmpeg ffmpeg) {
    this.app = app;
    this.ffmpeg = ffmpeg;
  }

  @Override
  public StageOutput score(ScoreRequest request, StageContext context) throws IOException, InterruptedException {
    Path raw = context.newFile("musicgen", "audio");
    try {
      app.call(new GradioApp.Exchange() {
        @Override
        public List<?> inputs(GradioClient client, GradioApp.ApiDefaults defaults) {
          List<Object> inputs = new ArrayList<>();
          inputs.add(request.musicPrompt());
          inputs.add(null); // no melody to follow
          inputs.addAll(defaults.trailing());
          return inputs;
        }

        @Override
        public FileData output(GradioResult result) throws IOException {
          // the audio is the last output; the first is a waveform video on the hosted Space
          return result.file(result.data().size() - 1);
        }
      }, raw, context);
      Path target = context.newFile("score", "wav");
      Media.fitAudio(ffmpeg, raw, target, request.seconds());
      return new StageOutput(target, app.backend(), GradioApp.params("seconds", request.seconds()));
    } finally {
      Files.deleteIfExists(raw);
    }
  }

  @Override
  public void close() {
    app.close();
  }

}
