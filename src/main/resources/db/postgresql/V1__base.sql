-- LatentTV schema starts in V2 (jobs and clips); V1 is intentionally empty so every module's migrations have a base.
-- PostgreSQL twin of db/migration/V1__base.sql (every SQLite migration has one, of the same version and name).
SELECT 1;
