package tv.latent.generate;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where a stage writes and how it reports progress. The pipeline gives each stage run a fresh
 * work directory inside the data directory; a stage writes only there, under names it makes.
 *
 * @param workDir the job's work directory (exists)
 * @param progress receives progress as the stage goes
 */
public record StageContext(Path workDir, ProgressSink progress) {

    /** A new file name in the work directory, not yet created, with the given extension (e.g. "mp4"). */
    public Path newFile(String prefix, String extension) {
        return workDir.resolve(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "." + extension);
    }

    /** Receives a stage's progress. Implementations must be thread-safe and fast. */
    @FunctionalInterface
    public interface ProgressSink {
        /**
         * @param fraction 0..1, or a negative number when unknown
         * @param detail a short human line ("queue 3 of 10, about 40 s", "step 12/25"), may be empty
         */
        void report(double fraction, String detail);

        ProgressSink NONE = (fraction, detail) -> {};
    }
}
