package tv.latent.audience;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.moderation.AuditTrail;

/**
 * How a suggestion moves on, for the audience's request threads and its channels' desks alike:
 * stored (the store checks that nobody moved it meanwhile), written to the audit trail where it
 * matters (failed, removed, aired), and told to the audience's listeners.
 *
 * <p>Thread-safe.
 */
final class SuggestionMoves {
    private static final Logger LOG = LoggerFactory.getLogger(SuggestionMoves.class);

    private final SuggestionStore store;
    private final AuditTrail audit;
    private final InstantSource clock;
    private final Consumer<Suggestion> changed;

    /** @param changed called with every suggestion stored anew (the audience queues its event) */
    SuggestionMoves(SuggestionStore store, AuditTrail audit, InstantSource clock, Consumer<Suggestion> changed) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * Moves a suggestion to {@code next}, saying {@code why}.
     *
     * @throws SuggestionStore.LostUpdate when it changed meanwhile
     */
    Suggestion move(Suggestion s, SuggestionState next, String why) throws SQLException {
        Suggestion moved = store.update(s, s.moved(next, why, clock.instant()));
        switch (next) {
            case FAILED, REMOVED ->
                audit.record(
                        "audience",
                        "suggestion." + next.name().toLowerCase(java.util.Locale.ROOT),
                        moved.subject(),
                        why);
            case AIRED ->
                audit.record(
                        "audience",
                        "suggestion.aired",
                        moved.subject(),
                        "clip " + moved.jobId().orElse(""));
            case QUEUED -> LOG.info("channel {}: suggestion #{} is queued again: {}", s.channelId(), s.number(), why);
            default -> {}
        }
        changed.accept(moved);
        return moved;
    }

    /**
     * Stores {@code next} in place of {@code s} and tells the listeners.
     *
     * @throws SuggestionStore.LostUpdate when it changed meanwhile
     */
    Suggestion update(Suggestion s, Suggestion next) throws SQLException {
        Suggestion stored = store.update(s, next);
        changed.accept(stored);
        return stored;
    }
}
