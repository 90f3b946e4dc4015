package tv.latent.playout;

import java.util.Optional;

/**
 * What one RTMP push is doing, for status pages and metrics. Holds no URL and no stream key: the
 * target is named by its configured name, and the reason of a failure has both replaced.
 *
 * @param channel the channel's id
 * @param target the push target's name, e.g. {@code twitch}
 * @param up ffmpeg runs and took the channel's last segment
 * @param starts how many times ffmpeg was started (1 plus the reconnections)
 * @param reconnects how many times the push was started again after it failed
 * @param lastError why the push last failed, or empty when it never did
 */
public record PushStatus(
        String channel, String target, boolean up, int starts, int reconnects, Optional<String> lastError) {}
