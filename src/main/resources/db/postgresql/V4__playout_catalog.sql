-- PostgreSQL twin of db/migration/V4__playout_catalog.sql. PostgreSQL has no rowid: the order of
-- arrival of clips already there is their mastering order (ties by id).

-- Cost flat in history: what playout asks of the library at every airing decision is answered
-- by an index, whatever the size of the library.

-- The library's order of arrival, unaffected by wall-clock steps: fresh clips air in this order.
ALTER TABLE clips ADD COLUMN seq BIGINT;
UPDATE clips SET seq = arrival.n
FROM (SELECT id, row_number() OVER (ORDER BY mastered_at, id) AS n FROM clips) AS arrival
WHERE clips.id = arrival.id;
CREATE UNIQUE INDEX clips_by_seq ON clips (seq);
CREATE INDEX clips_by_channel_seq ON clips (channel_id, seq);

-- Each clip as its channel's programming sees it; replaces playout_clip_history.
--   FRESH: mastered, never aired (fresh clips air before any rerun, in mastering order)
--   AIRED: aired at least once; reruns pick the least recently aired
--   SKIPPED: cannot air (its cut failed for good); reason says why
CREATE TABLE playout_clip (
  channel_id       TEXT    NOT NULL,
  clip_id          TEXT    NOT NULL,
  seq              BIGINT  NOT NULL,
  frames           INTEGER NOT NULL,
  mastered_ms      BIGINT  NOT NULL,
  state            TEXT    NOT NULL,
  airings          INTEGER NOT NULL DEFAULT 0,
  last_start_ticks BIGINT,
  reason           TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (channel_id, clip_id)
);
CREATE INDEX playout_clip_fresh ON playout_clip (channel_id, mastered_ms, clip_id) WHERE state = 'FRESH';
CREATE INDEX playout_clip_reruns ON playout_clip (channel_id, last_start_ticks, clip_id) WHERE state = 'AIRED';

INSERT INTO playout_clip (channel_id, clip_id, seq, frames, mastered_ms, state, airings, last_start_ticks)
SELECT c.channel_id, c.id, c.seq, c.frames, c.mastered_at,
       CASE WHEN h.clip_id IS NULL THEN 'FRESH' ELSE 'AIRED' END,
       COALESCE(h.airings, 0), h.last_start_ticks
FROM clips c
LEFT JOIN playout_clip_history h ON h.channel_id = c.channel_id AND h.clip_id = c.id;

DROP TABLE playout_clip_history;

-- The newest clip seq each channel's programming has taken in.
ALTER TABLE playout_channel ADD COLUMN seen_seq BIGINT NOT NULL DEFAULT 0;
UPDATE playout_channel SET seen_seq = COALESCE((SELECT MAX(seq) FROM clips WHERE clips.channel_id = playout_channel.channel_id), 0);

-- Jobs still being made, found without reading the finished ones.
CREATE INDEX shot_jobs_unfinished ON shot_jobs (channel_id, created_at, id) WHERE state NOT IN ('MASTERED', 'FAILED');
