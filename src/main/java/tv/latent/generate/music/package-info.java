/**
 * The embedded scorer: composes music from a prompt's mood words and a seed, and synthesises
 * it to a WAV, deterministic by seed. Its only public type is {@link
 * tv.latent.generate.music.ProceduralScorer}; depends on {@code generate} (with its {@code
 * internal} kit) only.
 */
package tv.latent.generate.music;
