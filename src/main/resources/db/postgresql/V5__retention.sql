-- PostgreSQL twin of db/migration/V5__retention.sql: totals are BIGINT, and the triggers that keep
-- them call PL/pgSQL functions.

-- Retention: what may be deleted, found by an index whatever the size of the library.

-- An operator's "keep forever" mark: retention never deletes a kept clip.
ALTER TABLE clips ADD COLUMN keep INTEGER NOT NULL DEFAULT 0;

-- A channel's clips by age, ties broken by id (the newest N, the floor no limit goes below, are
-- one range of it); replaces clips_by_channel, which lacked the id.
DROP INDEX clips_by_channel;
CREATE INDEX clips_by_channel_age ON clips (channel_id, mastered_at, id);

-- The clips retention may delete, oldest first: across the library, and per channel.
CREATE INDEX clips_unkept_by_age ON clips (mastered_at, id) WHERE keep = 0;
CREATE INDEX clips_unkept_by_channel ON clips (channel_id, mastered_at, id) WHERE keep = 0;

-- Clips and their master bytes per channel, kept by triggers: budgets are checked without counting rows.
CREATE TABLE clip_totals (
  channel_id TEXT    PRIMARY KEY,
  clips      BIGINT  NOT NULL,
  bytes      BIGINT  NOT NULL
);
INSERT INTO clip_totals (channel_id, clips, bytes)
SELECT channel_id, COUNT(*), COALESCE(SUM(size_bytes), 0) FROM clips GROUP BY channel_id;

CREATE FUNCTION clips_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO clip_totals (channel_id, clips, bytes) VALUES (NEW.channel_id, 0, 0) ON CONFLICT (channel_id) DO NOTHING;
  UPDATE clip_totals SET clips = clips + 1, bytes = bytes + NEW.size_bytes WHERE channel_id = NEW.channel_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER clips_counted AFTER INSERT ON clips FOR EACH ROW EXECUTE FUNCTION clips_counted();

CREATE FUNCTION clips_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE clip_totals SET clips = clips - 1, bytes = bytes - OLD.size_bytes WHERE channel_id = OLD.channel_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER clips_uncounted AFTER DELETE ON clips FOR EACH ROW EXECUTE FUNCTION clips_uncounted();

-- Failed jobs by age, for pruning. (A mastered job goes with its clip.) The state leads so that the
-- planner sees the index answers both the filter and the order.
CREATE INDEX shot_jobs_failed ON shot_jobs (state, updated_at, id) WHERE state = 'FAILED';

-- The library's order of arrival never goes back: deleting the newest clip must not let the next
-- one take its number (a channel that had taken that number in would never air the new clip).
CREATE TABLE clip_sequence (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO clip_sequence (name, value) SELECT 'clips', COALESCE(MAX(seq), 0) FROM clips;
