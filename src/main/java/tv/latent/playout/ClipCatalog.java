package tv.latent.playout;

import java.util.List;
import java.util.Optional;

/**
 * What playout reads from the clip library: new arrivals, and one clip by id. Both are answered
 * by an index, so an airing decision costs the same with a hundred clips or a million. The
 * station adapts its library to this; tests keep clips in memory.
 *
 * <p>Implementations must be thread-safe: playout calls them from its channel threads.
 */
public interface ClipCatalog {
    /**
     * The channel's clips that arrived in the library after position {@code afterSeq}, in order of
     * arrival, at most {@code limit}.
     */
    List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit);

    /** One clip, if it is still in the library. */
    Optional<AirableClip> find(String clipId);
}
