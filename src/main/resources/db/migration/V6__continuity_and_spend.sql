-- Shots that continue each other: the job whose last frame a shot starts from (NULL for a shot
-- of its own), and the index that finds a job's successors when it has rendered.
ALTER TABLE shot_jobs ADD COLUMN continues TEXT;
CREATE INDEX shot_jobs_continued ON shot_jobs (continues) WHERE continues IS NOT NULL;

-- What paid backends cost: one row per charged call, kept a week for the rolling hour and day
-- (the job's own record and the clip's provenance keep each cost for good).
CREATE TABLE spend (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_id TEXT    NOT NULL,
  job_id     TEXT    NOT NULL,
  stage      TEXT    NOT NULL,
  backend    TEXT    NOT NULL,
  amount     REAL    NOT NULL,
  at_ms      INTEGER NOT NULL
);
CREATE INDEX spend_by_channel ON spend (channel_id, at_ms);
CREATE INDEX spend_by_time ON spend (at_ms);
CREATE INDEX spend_by_job ON spend (job_id);

-- Per channel, all-time spend and seconds of clips aired: cost per aired minute without a scan.
CREATE TABLE channel_costs (
  channel_id    TEXT PRIMARY KEY,
  spent         REAL NOT NULL DEFAULT 0,
  aired_seconds REAL NOT NULL DEFAULT 0
);
