package tv.latent.playout;

import java.util.List;

/**
 * What playout reads from the clip library. The app adapts its library to this; tests keep
 * clips in memory.
 *
 * <p>Implementations must be thread-safe: playout calls them from its scheduler threads.
 */
@FunctionalInterface
public interface ClipCatalog {
    /** The channel's mastered clips that may air (moderation passed), in any order. */
    List<AirableClip> mastered(String channelId);
}
