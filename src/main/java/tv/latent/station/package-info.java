/**
 * The one composition root: {@link tv.latent.station.Station} builds every part of LatentTV from
 * the configuration (database, library, backends, pipeline, lookahead, playout, web) and owns
 * their start and stop order; {@link tv.latent.station.Backends} is the only place that knows
 * every concrete backend. May depend on every other package; nothing depends on it but {@code cli}.
 */
package tv.latent.station;
