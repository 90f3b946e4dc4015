/**
 * What many tests share: {@link tv.latent.testing.TestMedia} makes and probes test media with
 * ffmpeg, {@link tv.latent.testing.SlowTest} marks the end-to-end tests the fast loop leaves
 * out, {@link tv.latent.testing.Heap} measures the heap for memory tests, and {@link
 * tv.latent.testing.FastClock} runs a whole station faster than real time (a simulated month).
 */
package tv.latent.testing;
