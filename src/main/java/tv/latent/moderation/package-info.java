/**
 * The moderation gate in front of generation spend and air: every viewer suggestion and every
 * prompt, title and music line a director writes is checked against the configured word and
 * pattern lists and, when one is configured, an OpenAI-compatible moderation endpoint.
 *
 * <p>Entry points: {@link tv.latent.moderation.Moderator} (one text, one {@link
 * tv.latent.moderation.Verdict}), {@link tv.latent.moderation.ModeratedDirector} (a director
 * whose flagged shots are replaced before anything is spent on them), and {@link
 * tv.latent.moderation.AuditTrail}, where every moderation decision is recorded.
 *
 * <p>The gate fails closed: when the endpoint cannot answer, a viewer's suggestion is refused
 * ("try again later") and a director's shots wait (the lookahead backs off; the channel airs
 * reruns), so nothing unchecked goes on air because a server was down.
 *
 * <p>May depend on: {@code director}, {@code config}, {@code backend.moderation}.
 */
package tv.latent.moderation;
