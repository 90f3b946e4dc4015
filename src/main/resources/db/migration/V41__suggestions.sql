-- Viewers' suggestions (from the watch page and Twitch chat) and their votes.
--   state: PENDING (waiting for an operator) -> QUEUED -> MAKING -> READY -> ON_AIR -> AIRED,
--          or REJECTED, EXPIRED, FAILED, REMOVED (see audience.SuggestionState)
--   number: per channel, what viewers see and vote by ("!vote 12")
--   normal: the text folded for spotting duplicates
--   job_id: the shot job made of it (also the clip's id); no foreign key, retention may delete the job first
CREATE TABLE suggestions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_id   TEXT    NOT NULL,
  number       INTEGER NOT NULL,
  viewer_id    TEXT    NOT NULL,
  display_name TEXT    NOT NULL DEFAULT '',
  source       TEXT    NOT NULL,
  text         TEXT    NOT NULL,
  normal       TEXT    NOT NULL,
  state        TEXT    NOT NULL,
  votes        INTEGER NOT NULL DEFAULT 0,
  job_id       TEXT,
  reason       TEXT    NOT NULL DEFAULT '',
  air_start_ms INTEGER,
  air_end_ms   INTEGER,
  version      INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (channel_id, number)
);
-- The queue and what is being made or aired: the few open suggestions of a channel, in queue order.
CREATE INDEX suggestions_open ON suggestions (channel_id, state, votes DESC, created_at, id)
  WHERE state IN ('PENDING', 'QUEUED', 'MAKING', 'READY', 'ON_AIR');
-- Recent suggestions of a channel (duplicates), and one viewer's.
CREATE INDEX suggestions_recent ON suggestions (channel_id, created_at);
CREATE INDEX suggestions_by_viewer ON suggestions (channel_id, viewer_id, created_at);
-- The caption of a clip: which suggestion it was made of.
CREATE INDEX suggestions_by_job ON suggestions (job_id) WHERE job_id IS NOT NULL;
-- Retention: finished suggestions by age.
CREATE INDEX suggestions_finished ON suggestions (updated_at, id)
  WHERE state IN ('AIRED', 'REJECTED', 'EXPIRED', 'FAILED', 'REMOVED');

CREATE TABLE suggestion_votes (
  suggestion_id INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
  viewer_id     TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (suggestion_id, viewer_id)
);
