package tv.latent.audience;

/**
 * Hears the audience loop: a channel's queue changed (for the watch page's live queue), or one
 * suggestion moved on (for the viewer's status and chat replies). Called on the audience's own
 * event thread, never on a request thread; implementations must be thread-safe and quick (a slow
 * one delays only the events, which are dropped oldest first beyond a bound).
 */
public interface AudienceListener {
    /** The channel's public queue as it is now. */
    default void queueChanged(QueueSnapshot snapshot) {}

    /**
     * One suggestion changed state (accepted, picked, ready, on air, aired, refused later).
     *
     * @param viewerId who suggested it, to reach that viewer only (never show it)
     */
    default void suggestionChanged(SuggestionView suggestion, String viewerId) {}
}
