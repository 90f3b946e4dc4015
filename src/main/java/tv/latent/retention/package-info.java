/**
 * Running for months: {@link tv.latent.retention.Retention} keeps the clip library within its
 * limits (age, count, disk; per channel and overall) and sweeps what crashes and in-flight work
 * leave behind; {@link tv.latent.retention.DiskGuard} pauses generation, never airing, when the
 * disk runs low. Depends on the library, the pipeline's job store and playout's records (through
 * {@link tv.latent.playout.PlayoutRecords}); only the station knows it.
 */
package tv.latent.retention;
