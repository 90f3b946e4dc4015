package tv.latent.playout;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A mastered clip that may go on air: what playout needs to know of the clip library.
 *
 * @param master the mastered MP4 in the house format; its segments are cut into {@code hls/} beside it
 * @param frames exact video frame count, a whole multiple of the house format's join unit
 * @param seq the clip's position in the library's order of arrival (unaffected by wall-clock steps)
 */
public record AirableClip(
        String clipId,
        String channelId,
        Path master,
        int frames,
        String title,
        String prompt,
        Instant masteredAt,
        long seq) {
    public AirableClip {
        Objects.requireNonNull(clipId, "clipId");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(masteredAt, "masteredAt");
        title = title == null ? "" : title;
        prompt = prompt == null ? "" : prompt;
        if (frames <= 0) {
            throw new IllegalArgumentException("clip " + clipId + ": frames must be positive, got " + frames);
        }
    }
}
