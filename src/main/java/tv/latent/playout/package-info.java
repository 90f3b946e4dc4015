/**
 * Channels on air: each channel's wall-clock timeline of airings (persisted), the scheduler that
 * decides airings ahead of the live edge and publishes immutable snapshots, the live HLS playlist
 * and re-stamped segments read from those snapshots, pre-cut clips, and the RTMP pushes.
 * Depends on {@code library} (the database and data layout), {@code media} and {@code time};
 * sees the clip library only through {@link tv.latent.playout.ClipCatalog}.
 */
package tv.latent.playout;
