/**
 * What is kept: the database (SQLite, migrated by Flyway from {@code db/migration}), the data
 * directory's layout (every path made here from checked ids), and the clip library with each
 * clip's provenance. Depends on nothing else of LatentTV; everything that stores depends on it.
 */
package tv.latent.library;
