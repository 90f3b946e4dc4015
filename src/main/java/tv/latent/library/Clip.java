package tv.latent.library;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A mastered clip in the library, with its full provenance.
 *
 * @param provenance JSON: for each stage, the backend, its parameters and the seconds it took
 * @param master the house-format MP4, an absolute path under the data directory
 * @param kept marked by an operator to be kept forever: retention never deletes it
 */
public record Clip(
        String id,
        String jobId,
        String channelId,
        String title,
        String prompt,
        String negativePrompt,
        long seed,
        String musicPrompt,
        String director,
        String provenance,
        int frames,
        int fps,
        int width,
        int height,
        double durationSeconds,
        Double loudnessLufs,
        long sizeBytes,
        Path master,
        Path thumbnail,
        Instant masteredAt,
        boolean kept) {}
