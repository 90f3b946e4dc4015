/**
 * Into the living room: the channels as media centers and IPTV players see them. The M3U
 * playlist, the XMLTV guide (programmes from each channel's schedule, and what actually aired),
 * the emulated HDHomeRun tuner (discover, lineup, device description, optional SSDP
 * announcement) and the stable channel numbers and DeviceID they rely on. The continuous MPEG-TS
 * they play is served by {@code web} from {@code playout}'s segment feed.
 *
 * <p>Depends on {@code config}, {@code schedule}, {@code playout} (what aired) and {@code library}
 * (clip thumbnails, the database).
 */
package tv.latent.iptv;
