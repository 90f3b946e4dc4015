-- Leases on shot jobs, as db/postgresql/V60__job_leases.sql has them. On SQLite one process runs
-- jobs (it holds pipeline.lock), so no lease is ever taken: the columns keep both histories alike.
ALTER TABLE shot_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE shot_jobs ADD COLUMN lease_expires INTEGER;
