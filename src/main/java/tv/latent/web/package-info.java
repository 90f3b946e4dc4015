/**
 * The web origin: what viewers, players and monitoring fetch over HTTP.
 *
 * <p>Owns the routes ({@link tv.latent.web.WebServer}: pages, live HLS playlists and segments,
 * the read-only JSON API, now-playing server-sent events, thumbnails, the static assets, and
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}; for media centers the M3U
 * playlist, the XMLTV guide, the HDHomeRun tuner's answers and each channel's continuous MPEG-TS,
 * {@code LivingRoomRoutes} and {@code StreamClients}), the HTML of the pages and
 * the JSON shapes of channels, clips and jobs, the JSON error body every failed request gets,
 * the redaction of station-made texts before any answer shows them ({@code Redaction}), the
 * origin's own limits ({@link tv.latent.web.Limits}: connection and event-stream caps answered
 * with 503, idle and header timeouts, a bounded queue per event stream and per stream client, the
 * tuner cap), and the browser-side
 * files under {@code src/main/resources/web/} (hls.js among them, shipped in the jar as pinned
 * in {@code tools/package.json}: nothing is loaded from the internet at run time).
 *
 * <p>Every route is declared in {@link tv.latent.web.RouteTable} with its access level (public,
 * viewer, operator), checked by one before-handler ({@code Gate}); pages are JTE templates
 * ({@code src/main/jte}, compiled into this package at build time); the operator console at
 * {@code /admin} ({@code ConsoleRoutes}) acts only through {@link tv.latent.web.Console}, which
 * the composition root implements.
 *
 * <p>May depend on: {@code iptv} (playlist, guide, tuner answers), {@code playout} (what airs,
 * playlists, segments, the segment feed), {@code library}
 * (clips, thumbnails), {@code pipeline} (jobs and their progress, read only), {@code auth}
 * (sessions, tokens), {@code audit}, {@code time}, Javalin and its Jetty, JTE's runtime,
 * Jackson, SLF4J. Must not depend on {@code cli}, on any backend or stage
 * ({@code backend}, {@code generate}, {@code director}, {@code media}), nor on {@code config},
 * nor on a metrics library: it receives a {@link tv.latent.web.Site} and a
 * {@link tv.latent.web.Monitor} (generation status, readiness, metrics text; it reports each
 * request back) already built by the composition root, which is the only code that depends on
 * this package. No URL part is ever used as a file path.
 */
package tv.latent.web;
