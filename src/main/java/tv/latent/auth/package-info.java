/**
 * Who may operate the station ({@link tv.latent.auth.Auth}): operators with argon2id passwords
 * (Bouncy Castle), login sessions with their CSRF tokens, API tokens for automation, and the
 * login rate limits. Only hashes of passwords, session ids and tokens are stored.
 *
 * <p>May depend on: {@code library} (the database), {@code time}. Nothing else of LatentTV; the
 * web checks requests with it, the composition root builds it.
 */
package tv.latent.auth;
