/**
 * Turns a channel's theme and recent history into shot plans: the {@link
 * tv.latent.director.Director} interface, the offline template director (deterministic by
 * seed) and the OpenAI-compatible director, with a fallback between them. Depends on no other
 * LatentTV package; the pipeline uses it.
 */
package tv.latent.director;
