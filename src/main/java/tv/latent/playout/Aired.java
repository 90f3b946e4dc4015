package tv.latent.playout;

import java.time.Instant;
import java.util.Optional;

/**
 * One airing as history tells it: what aired on a channel, from when to when.
 *
 * @param clipId empty for the channel's slate
 * @param fresh the clip's first airing on the channel (false: a rerun, or the slate)
 */
public record Aired(
        String channelId, Optional<String> clipId, String title, Instant start, Instant end, boolean fresh) {}
