package tv.latent.generate;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;

/**
 * What the embedded stages share: the near-lossless intermediate video they write (H.264 CRF 12,
 * yuv420p, MP4; only the master stage encodes for the air), writing any output under a temporary
 * name that is moved into place, so a file under the final name is always complete, and the
 * checks and failures of a stage run. Used by the ffmpeg stages here and by the engines in
 * {@code generate.procedural} and {@code generate.music}. Stateless and thread-safe.
 */
public final class Intermediate {
    /** x264's output depends on its thread count; fixing it keeps renders byte-identical across machines. */
    private static final List<String> VIDEO = List.of(
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "12",
            "-pix_fmt",
            "yuv420p",
            "-threads",
            "2",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-f",
            "mp4");

    public static final String ENCODING = "libx264 ultrafast crf 12 yuv420p";

    private Intermediate() {}

    /**
     * Runs ffmpeg with {@code input} (its input and filter arguments) and encodes the
     * intermediate to {@code target} through its temporary sibling, so a failed or interrupted
     * run leaves no file behind; a failure becomes a {@link StageException} that starts with
     * {@code whatFailed}.
     */
    public static void encode(
            Ffmpeg ffmpeg,
            List<String> input,
            Path target,
            Duration timeout,
            Ffmpeg.StdinWriter stdin,
            DoubleConsumer progress,
            String whatFailed)
            throws IOException, InterruptedException {
        Path part = partFor(target);
        List<String> args = new ArrayList<>(input);
        args.addAll(VIDEO);
        args.add(part.toString());
        try {
            ffmpeg.run(args, timeout, stdin, progress);
            publish(part, target);
        } catch (IOException e) {
            discard(part);
            throw failure(whatFailed, e);
        } catch (InterruptedException e) {
            discard(part);
            throw e;
        }
    }

    /** The temporary sibling to write before {@link #publish}. */
    public static Path partFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    public static void publish(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void discard(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // best effort: the work directory is the pipeline's to clean
        }
    }

    /** A failed ffmpeg run as a stage failure: a full disk or a timeout may pass, a bad input will not. */
    private static StageException failure(String what, IOException e) {
        boolean retryable = e instanceof FfmpegException f
                && (f.diskFull() || String.valueOf(f.getMessage()).contains("did not finish"));
        return new StageException(what + ": " + e.getMessage(), retryable, e);
    }

    public static void require(boolean ok, String message) throws StageException {
        if (!ok) {
            throw new StageException(message, false);
        }
    }

    /** A stage's time limit for one run, checked once when the stage is made. */
    public static Duration positiveTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("stage timeout must be positive, got " + timeout);
        }
        return timeout;
    }
}
