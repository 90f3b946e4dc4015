package tv.latent.moderation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where moderation and audience decisions are recorded: who (an operator's name, or
 * {@code moderation} / {@code audience} for what the station decided itself), what, on what, and
 * why. The station binds it to the console's audit log; until then, {@link #LOG} writes each
 * entry as one log line.
 *
 * <p>Implementations must be thread-safe and quick (they are called on request threads), and
 * must never throw for an entry they cannot store.
 */
@FunctionalInterface
public interface AuditTrail {
    /**
     * Records one decision.
     *
     * @param actor who decided: an operator's login, {@code moderation} or {@code audience}
     * @param action what was decided, e.g. {@code suggestion.rejected}, {@code director.shot-replaced}
     * @param subject what it was about, e.g. {@code channel:news/suggestion:12}
     * @param detail why, in a sentence (plain text; never a secret)
     */
    void record(String actor, String action, String subject, String detail);

    /** Writes every entry as an INFO line of the {@code tv.latent.moderation.AuditTrail} logger. */
    AuditTrail LOG = new AuditTrail() {
        private final Logger log = LoggerFactory.getLogger(AuditTrail.class);

        @Override
        public void record(String actor, String action, String subject, String detail) {
            log.info("audit: {} {} {}: {}", actor, action, subject, detail);
        }
    };
}
