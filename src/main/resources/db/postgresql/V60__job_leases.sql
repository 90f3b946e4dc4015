-- Leases on shot jobs: when several nodes share this database, a node claims a job (FOR UPDATE
-- SKIP LOCKED) and holds it while it runs a stage, renewing the lease on the database's clock; a
-- node that dies or is cut off loses it when it expires, and another node resumes the job at its
-- stage. Every write of a leased job is fenced by it (see pipeline.JobStore).
ALTER TABLE shot_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE shot_jobs ADD COLUMN lease_expires TIMESTAMPTZ;
