package tv.latent.audience;

import java.time.Instant;
import java.util.Optional;

/**
 * One viewer's suggestion as stored (one row). Changes go through {@link SuggestionStore#update},
 * which checks the {@link SuggestionState} table and the version. Immutable.
 *
 * @param number the channel's number for it, what viewers see and vote by
 * @param viewerId who suggested it (the web's viewer id, or {@code twitch:<user-id>}); never shown
 * @param normal the text folded for spotting duplicates
 * @param jobId the shot job made of it, once picked (the clip's id too)
 * @param reason why it was rejected or failed, for the operator
 * @param airStart when its clip went on air; {@code airEnd} when that airing ends
 */
record Suggestion(
        long id,
        String channelId,
        long number,
        String viewerId,
        String displayName,
        Source source,
        String text,
        String normal,
        SuggestionState state,
        int votes,
        Optional<String> jobId,
        String reason,
        Optional<Instant> airStart,
        Optional<Instant> airEnd,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    Suggestion moved(SuggestionState next, String why, Instant now) {
        return changed(next, jobId, why, airStart, airEnd, now);
    }

    Suggestion making(String job, Instant now) {
        return changed(SuggestionState.MAKING, Optional.of(job), reason, airStart, airEnd, now);
    }

    Suggestion onAir(Instant start, Instant end, Instant now) {
        return changed(SuggestionState.ON_AIR, jobId, reason, Optional.of(start), Optional.of(end), now);
    }

    /** A copy with new values of the columns {@link SuggestionStore#update} writes; the rest stays. */
    private Suggestion changed(
            SuggestionState nextState,
            Optional<String> nextJobId,
            String nextReason,
            Optional<Instant> nextAirStart,
            Optional<Instant> nextAirEnd,
            Instant now) {
        return new Suggestion(
                id,
                channelId,
                number,
                viewerId,
                displayName,
                source,
                text,
                normal,
                nextState,
                votes,
                nextJobId,
                nextReason,
                nextAirStart,
                nextAirEnd,
                version,
                createdAt,
                now);
    }

    /** The subject audit entries name: {@code channel:news/suggestion:12}. */
    String subject() {
        return "channel:" + channelId + "/suggestion:" + number;
    }
}
