package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tv.latent.generate.StageException;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/** ffmpeg work around remote stages: checking inputs, retiming video, fitting audio to a length. */
final class Media {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private Media() {}

  /** Probes a stage input; missing or frameless input is a failure no retry fixes. */
  static MediaInfo requireVideo(Ffmpeg ffmpeg, Path file) throws IOException, InterruptedException {
    if (file == null || !Files.isRegularFile(file)) {
      throw new StageException("input video " + file + " does not exist", false);
    }
    MediaInfo info;
    try {
      info = ffmpeg.probe(file);
    } catch (IOException e) {
      throw new StageException("input " + file.getFileName() + " is not readable media: " + e.getMessage(), false, e);
    }
    if (info.video().isEmpty() || info.video().get().frames() < 1) {
      throw new StageException("input " + file.getFileName() + " has no video frames", false);
    }
    return info;
  }

  /** Probes what a server sent; unreadable media is retryable (another try may come out right). */
  static MediaInfo probeOutput(Ffmpeg ffmpeg, Path file, String backend) throws IOException, InterruptedException {
    try {
      return ffmpeg.probe(file);
    } catch (IOException e) {
      throw new StageException(backend + " sent a file that is not readable media: " + e.getMessage(), true, e);
    }
  }

  /** Stretches {@code in} to last {@code seconds} at exactly {@code fps}. */
  static void retime(Ffmpeg ffmpeg, Path in, Path out, double seconds, int fps) throws IOException, InterruptedException {
    MediaInfo info = requireVideo(ffmpeg, in);
    double factor = seconds / info.videoSeconds();
    long frames = Math.max(1, Math.round(seconds * fps));
    ffmpeg.run(List.of("-i", in.toString(), "-an",
        "-vf", String.format(Locale.ROOT, "setpts=%.6f*PTS,fps=%d", factor, fps),
        "-frames:v", Long.toString(frames), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p",
        out.toString()), TIMEOUT, null, null);
  }

  /** Loops or trims audio to exactly {@code seconds}, 48 kHz stereo 16-bit WAV. */
  static void fitAudio(Ffmpeg ffmpeg, Path in, Path out, double seconds) throws IOException, InterruptedException {
    MediaInfo info;
    try {
      info = ffmpeg.probe(in);
    } catch (IOException e) {
      throw new StageException("the music is not readable audio: " + e.getMessage(), true, e);
    }
    if (info.audio().isEmpty() || info.durationSeconds() <= 0) {
      throw new StageException("the music file has no audio", true);
    }
    ffmpeg.run(List.of("-stream_loop", "-1", "-i", in.toString(), "-vn", "-t", String.format(Locale.ROOT, "%.3f", seconds),
        "-ac", "2", "-ar", "48000", "-c:a", "pcm_s16le", out.toString()), TIMEOUT, null, null);
  }
}
