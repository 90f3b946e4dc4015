-- PostgreSQL twin of db/migration/V40__shot_priority.sql (the same statements).

-- A viewer's shot runs before the lookahead's: jobs are dispatched by priority, then age.
ALTER TABLE shot_jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;

-- Jobs still being made, in the order they are dispatched, found without reading the finished ones.
DROP INDEX shot_jobs_unfinished;
CREATE INDEX shot_jobs_unfinished ON shot_jobs (channel_id, priority DESC, created_at, id) WHERE state NOT IN ('MASTERED', 'FAILED');
