/**
 * The {@code latenttv} command line: {@code demo}, {@code serve}, {@code generate}, {@code resume},
 * {@code clips}, {@code playlist}. Each command builds a {@link tv.latent.station.Station} and
 * prints only its own lines (logs go to the log). Depends on {@code station} and what it exposes.
 */
package tv.latent.cli;
