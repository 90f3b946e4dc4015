/**
 * What the embedded engines share and must keep bit-for-bit stable: a seeded random source
 * ({@link tv.latent.generate.internal.EngineRandom}), a table sine and the reading of prompt
 * cue words. Public only so {@code generate.procedural} and {@code generate.music} can reach it;
 * not for use outside {@code generate}. Depends on nothing in LatentTV.
 */
package tv.latent.generate.internal;
