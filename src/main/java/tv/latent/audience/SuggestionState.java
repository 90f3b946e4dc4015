package tv.latent.audience;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a viewer's suggestion is, from the box (or chat) to the screen. */
public enum SuggestionState {
    /** Waiting for an operator's approval (a channel whose policy is review-prompts). */
    PENDING,
    /** In the public queue: viewers vote; the top one becomes the next shot. */
    QUEUED,
    /** The director made a shot of it, which the pipeline is making ahead of everything else. */
    MAKING,
    /** Its clip is made and airs next (or waits for an operator's approval on a channel that reviews clips). */
    READY,
    /** Its clip is on air now. */
    ON_AIR,
    /** Its clip aired. */
    AIRED,
    /** An operator decided not to use it. */
    REJECTED,
    /** Nobody picked it while it was queued. */
    EXPIRED,
    /** No clip could be made of it. */
    FAILED,
    /** Its clip was taken off air by an operator. */
    REMOVED;

    /**
     * The one transition table. MAKING may go back to QUEUED only when nothing was submitted (a
     * process stopped between picking it and submitting its shot).
     */
    private static final Map<SuggestionState, Set<SuggestionState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(QUEUED, REJECTED, EXPIRED),
            QUEUED, EnumSet.of(MAKING, REJECTED, EXPIRED),
            MAKING, EnumSet.of(READY, QUEUED, FAILED, AIRED, REMOVED),
            READY, EnumSet.of(ON_AIR, AIRED, FAILED, REMOVED),
            ON_AIR, EnumSet.of(AIRED, REMOVED),
            AIRED, EnumSet.noneOf(SuggestionState.class),
            REJECTED, EnumSet.noneOf(SuggestionState.class),
            EXPIRED, EnumSet.noneOf(SuggestionState.class),
            FAILED, EnumSet.noneOf(SuggestionState.class),
            REMOVED, EnumSet.noneOf(SuggestionState.class));

    public boolean mayBecome(SuggestionState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** True once nothing more will happen to it. */
    public boolean finished() {
        return ALLOWED.get(this).isEmpty();
    }

    /** Waiting for review or in the queue: counts against the queue's caps. */
    public boolean waiting() {
        return this == PENDING || this == QUEUED;
    }

    /** Picked and on its way to air (or airing). */
    public boolean picked() {
        return this == MAKING || this == READY || this == ON_AIR;
    }
}
