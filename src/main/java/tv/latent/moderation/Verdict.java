package tv.latent.moderation;

/**
 * What the moderation gate decided about one text.
 *
 * @param flagged true when the text must not be used
 * @param source what flagged it: {@code words}, {@code patterns} or {@code endpoint}; empty when it passed
 * @param reason for the audit log and the operator, never for the viewer: which list entry
 *     matched or which categories the endpoint named
 */
public record Verdict(boolean flagged, String source, String reason) {
    /** The text passed every check. */
    public static final Verdict PASSED = new Verdict(false, "", "");

    static Verdict flagged(String source, String reason) {
        return new Verdict(true, source, reason);
    }
}
