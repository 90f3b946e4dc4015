/**
 * The audit log: who did what, to what, when and why, for every operator action in the console
 * and every moderation decision ({@link tv.latent.audit.Audit}), in the database, append-only,
 * pruned by age.
 *
 * <p>May depend on: {@code library} (the database). Nothing else of LatentTV.
 */
package tv.latent.audit;
