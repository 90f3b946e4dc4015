/**
 * What many tests share: {@link tv.latent.testing.TestMedia} makes and probes test media with
 * ffmpeg, and {@link tv.latent.testing.SlowTest} marks the end-to-end tests the fast loop leaves
 * out.
 */
package tv.latent.testing;
