/**
 * A client for OpenAI-compatible moderation endpoints: {@code POST {base}/moderations} with a
 * model and one input text, answered with whether the text is flagged and in which categories.
 *
 * <p>Entry point: {@link tv.latent.backend.moderation.ModerationClient}; answers are
 * {@link tv.latent.backend.moderation.ModerationResult}s; failures are
 * {@link tv.latent.backend.moderation.ModerationException}s whose kind says whether a retry may
 * help. The API key travels in a header only and never appears in a message.
 *
 * <p>May depend on: {@code tv.latent.backend.http}, Jackson, slf4j and the JDK; on no other
 * LatentTV package.
 */
package tv.latent.backend.moderation;
