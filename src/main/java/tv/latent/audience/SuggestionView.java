package tv.latent.audience;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A suggestion as viewers may see it (the public queue, a viewer's own status, chat replies):
 * no viewer id, no moderation reason. Every text is plain text, to be escaped by whoever shows it.
 *
 * @param number the channel's number for it ("vote with !vote 12")
 * @param displayName the name the viewer gave, or "" (show it as "a viewer")
 * @param status where it is, in a sentence for the viewer ("airs in about 40 s")
 * @param airsIn when its clip should go on air, from now, once that can be said
 */
public record SuggestionView(
        String channelId,
        long number,
        String text,
        String displayName,
        Source source,
        SuggestionState state,
        int votes,
        String status,
        Optional<Duration> airsIn,
        Instant createdAt) {}
