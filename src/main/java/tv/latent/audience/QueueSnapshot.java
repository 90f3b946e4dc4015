package tv.latent.audience;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A channel's public queue at one moment, as the watch page shows it and streams it.
 *
 * @param queued suggestions waiting for their turn, the most voted first, then the oldest
 * @param picked suggestions being made or made and waiting to air, in the order picked
 * @param onAir the suggestion whose clip is on air now, if any
 * @param awaitingReview how many suggestions wait for an operator (their texts are not public yet)
 */
public record QueueSnapshot(
        String channelId,
        List<SuggestionView> queued,
        List<SuggestionView> picked,
        Optional<SuggestionView> onAir,
        int awaitingReview,
        Instant at) {
    public QueueSnapshot {
        queued = List.copyOf(queued);
        picked = List.copyOf(picked);
    }
}
