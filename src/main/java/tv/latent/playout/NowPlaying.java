package tv.latent.playout;

import java.time.Instant;
import java.util.Optional;

/**
 * One airing as the web shows it: what is (or will be) on a channel, and when.
 *
 * @param clipId empty while the channel's slate airs
 */
public record NowPlaying(
        String channelId, Optional<String> clipId, String title, String prompt, Instant start, Instant end) {
    /** True while the slate (the channel's title card) airs instead of a clip. */
    public boolean slate() {
        return clipId.isEmpty();
    }
}
