-- PostgreSQL twin of db/migration/V50__narration.sql (the same statement).

-- The narration line the director wrote for a shot ('' when the narrator is silent over it, or the
-- channel has none). The line as spoken, and its voice, are in the speak stage's record (outputs).
ALTER TABLE shot_jobs ADD COLUMN narration TEXT NOT NULL DEFAULT '';
