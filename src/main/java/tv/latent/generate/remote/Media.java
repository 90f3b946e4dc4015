package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.Upscaler.UpscaleRequest;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/** ffmpeg work around remote stages: checking inputs, retiming video, fitting audio to a length. */
final class Media {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Media() {}

    /**
     * Probes what a server sent, within {@link tv.latent.media.ProbeLimits#UNTRUSTED} (nothing is
     * decoded before its headers pass); unreadable or oversized media is retryable (another try may
     * come out right).
     */
    static MediaInfo probeOutput(Ffmpeg ffmpeg, Path file, String backend) throws IOException, InterruptedException {
        try {
            return ffmpeg.probeUntrusted(file);
        } catch (IOException e) {
            throw new StageException(backend + " sent a file that is not readable media: " + e.getMessage(), true, e);
        }
    }

    /** Makes a video-to-video server's raw result in {@code raw}. */
    @FunctionalInterface
    interface RawVideo {
        void make(Path raw) throws IOException, InterruptedException;
    }

    /**
     * Has a video-to-video server upscale {@code request.input()} into a scratch file, then accepts
     * that as the upscale ({@link #acceptUpscaled}). The scratch file never outlives the call; the
     * returned file is left only on success.
     *
     * @param rawName the scratch file's name in the work directory
     * @param input the probed input video
     */
    static Path upscaleVia(
            Ffmpeg ffmpeg,
            UpscaleRequest request,
            StageContext context,
            String rawName,
            String backend,
            MediaInfo.Video input,
            RawVideo server)
            throws IOException, InterruptedException {
        Path raw = context.newFile(rawName, "mp4");
        Path target = context.newFile("upscale", "mp4");
        try {
            server.make(raw);
            acceptUpscaled(ffmpeg, raw, target, backend, input, request.width(), request.height());
            return target;
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /**
     * Accepts what a video-to-video server sent as the upscale of {@code input}: the same frames at
     * {@code width}×{@code height}. A result of the right shape but another size (Zeroscope XL makes
     * 1024×576 whatever is asked) is scaled to the asked size; anything else, such as a small
     * placeholder video a server sends when it fails inside, is refused with both shapes in the
     * message. The refusal is retryable: another try, or another backend, may do better.
     */
    static void acceptUpscaled(
            Ffmpeg ffmpeg, Path raw, Path target, String backend, MediaInfo.Video input, int width, int height)
            throws IOException, InterruptedException {
        MediaInfo.Video got = probeOutput(ffmpeg, raw, backend)
                .video()
                .orElseThrow(() -> new StageException(backend + " sent a file without a video stream", true));
        String asked = width + "x" + height + " with " + input.frames() + " frames";
        String sent = got.width() + "x" + got.height() + " with " + got.frames() + " frames";
        if (Math.abs(got.frames() - input.frames()) > 1) {
            throw new StageException(
                    backend + " sent " + sent + ", asked " + asked + " (a placeholder or failed video?)", true);
        }
        if (got.width() == width && got.height() == height) {
            Files.move(raw, target);
            return;
        }
        double askedAspect = (double) width / height;
        double sentAspect = (double) got.width() / got.height();
        if (Math.abs(sentAspect / askedAspect - 1) > 0.01 || got.width() < input.width()) {
            throw new StageException(
                    backend + " sent " + sent + ", asked " + asked
                            + " (another picture shape, or smaller than its input: a placeholder or failed video?)",
                    true);
        }
        encode(
                ffmpeg,
                List.of(
                        "-i",
                        raw.toString(),
                        "-an",
                        "-vf",
                        "scale=" + width + ":" + height + ":flags=lanczos,setsar=1"),
                target);
    }

    /** Stretches {@code in} (what a server sent) to last {@code seconds} at exactly {@code fps}. */
    static void retime(Ffmpeg ffmpeg, Path in, Path out, double seconds, int fps, String backend)
            throws IOException, InterruptedException {
        MediaInfo info = probeOutput(ffmpeg, in, backend);
        if (info.video().isEmpty() || info.video().get().frames() < 1 || info.videoSeconds() <= 0) {
            throw new StageException(backend + " sent a file without video frames", true);
        }
        double factor = seconds / info.videoSeconds();
        long frames = Math.max(1, Math.round(seconds * fps));
        encode(
                ffmpeg,
                List.of(
                        "-i",
                        in.toString(),
                        "-an",
                        "-vf",
                        String.format(Locale.ROOT, "setpts=%.6f*PTS,fps=%d", factor, fps),
                        "-frames:v",
                        Long.toString(frames)),
                out);
    }

    /** Encodes {@code input} (arguments up to the output) to {@code out}: H.264 CRF 16, yuv420p. */
    private static void encode(Ffmpeg ffmpeg, List<String> input, Path out) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(input);
        args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p"));
        args.add(out.toString());
        ffmpeg.run(args, TIMEOUT, null, null);
    }

    /** Loops or trims audio (what a server sent) to exactly {@code seconds}, 48 kHz stereo 16-bit WAV. */
    static void fitAudio(Ffmpeg ffmpeg, Path in, Path out, double seconds) throws IOException, InterruptedException {
        MediaInfo info;
        try {
            info = ffmpeg.probeUntrusted(in);
        } catch (IOException e) {
            throw new StageException("the music is not readable audio: " + e.getMessage(), true, e);
        }
        if (info.audio().isEmpty() || info.durationSeconds() <= 0) {
            throw new StageException("the music file has no audio", true);
        }
        ffmpeg.run(
                List.of(
                        "-stream_loop",
                        "-1",
                        "-i",
                        in.toString(),
                        "-vn",
                        "-t",
                        String.format(Locale.ROOT, "%.3f", seconds),
                        "-ac",
                        "2",
                        "-ar",
                        "48000",
                        "-c:a",
                        "pcm_s16le",
                        out.toString()),
                TIMEOUT,
                null,
                null);
    }
}
