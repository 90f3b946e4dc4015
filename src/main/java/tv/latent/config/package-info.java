/**
 * Typed, validated, frozen configuration: the YAML file and the environment variables it names
 * for secrets. Every problem is reported at once as {@code file: key.path: what is wrong}.
 * Depends on {@code media} (the house format) and {@code schedule} (programme slots) only; checks that need a protocol client run when
 * the station builds the backends, not here.
 */
package tv.latent.config;
