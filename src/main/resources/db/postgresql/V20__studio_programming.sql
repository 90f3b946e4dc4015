-- PostgreSQL twin of db/migration/V20__studio_programming.sql (the same statements).
-- What an operator and the audience change in a channel's programming:
--   HELD: mastered, waiting for an operator's approval before it may air (a channel that reviews clips)
--   OFF_AIR: taken off air by an operator; never airs again on this channel
-- and the priority of a fresh clip (a viewer's shot airs before the other fresh clips).
ALTER TABLE playout_clip ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
DROP INDEX playout_clip_fresh;
CREATE INDEX playout_clip_fresh ON playout_clip (channel_id, priority DESC, mastered_ms, clip_id) WHERE state = 'FRESH';
CREATE INDEX playout_clip_held ON playout_clip (channel_id, mastered_ms, clip_id) WHERE state = 'HELD';
