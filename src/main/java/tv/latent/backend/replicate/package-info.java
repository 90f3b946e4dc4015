/**
 * Client of Replicate's predictions API: {@link tv.latent.backend.replicate.ReplicateClient}
 * creates predictions of official models or pinned versions ({@link
 * tv.latent.backend.replicate.ReplicateModel}) with {@code Prefer: wait}, polls and cancels them,
 * and downloads their outputs at once; failures are {@link
 * tv.latent.backend.replicate.ReplicateException}s that say whether a retry may help and what
 * {@code Retry-After} asked.
 *
 * <p>May depend on: the JDK, Jackson, slf4j and {@code tv.latent.backend.http}; knows no LatentTV type.
 */
package tv.latent.backend.replicate;
