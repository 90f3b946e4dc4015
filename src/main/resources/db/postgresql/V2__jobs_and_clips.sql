-- PostgreSQL twin of db/migration/V2__jobs_and_clips.sql: epoch milliseconds, seeds and versions
-- are BIGINT, seconds and loudness DOUBLE PRECISION.

-- One row per shot; `state` is the stage the job is at (see pipeline.JobState), `version`
-- increases on every update so a lost write is detected.
CREATE TABLE shot_jobs (
  id              TEXT PRIMARY KEY,
  channel_id      TEXT    NOT NULL,
  title           TEXT    NOT NULL,
  prompt          TEXT    NOT NULL,
  negative_prompt TEXT    NOT NULL,
  seed            BIGINT  NOT NULL,
  music_prompt    TEXT    NOT NULL,
  sequence        TEXT    NOT NULL,
  director        TEXT    NOT NULL,
  director_note   TEXT    NOT NULL DEFAULT '',
  stage_order     TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL DEFAULT 0,
  last_error      TEXT    NOT NULL DEFAULT '',
  outputs         TEXT    NOT NULL DEFAULT '{}',
  version         BIGINT  NOT NULL DEFAULT 0,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
CREATE INDEX shot_jobs_by_state ON shot_jobs (state, next_attempt_at);
CREATE INDEX shot_jobs_by_channel ON shot_jobs (channel_id, created_at);

-- One row per mastered clip, written in the same transaction that marks its job MASTERED.
CREATE TABLE clips (
  id              TEXT PRIMARY KEY,
  job_id          TEXT    NOT NULL UNIQUE REFERENCES shot_jobs (id),
  channel_id      TEXT    NOT NULL,
  title           TEXT    NOT NULL,
  prompt          TEXT    NOT NULL,
  negative_prompt TEXT    NOT NULL,
  seed            BIGINT  NOT NULL,
  music_prompt    TEXT    NOT NULL,
  director        TEXT    NOT NULL,
  provenance      TEXT    NOT NULL,
  frames          INTEGER NOT NULL,
  fps             INTEGER NOT NULL,
  width           INTEGER NOT NULL,
  height          INTEGER NOT NULL,
  duration_s      DOUBLE PRECISION NOT NULL,
  loudness_lufs   DOUBLE PRECISION,
  size_bytes      BIGINT  NOT NULL,
  master_path     TEXT    NOT NULL,
  thumbnail_path  TEXT    NOT NULL,
  mastered_at     BIGINT  NOT NULL
);
CREATE INDEX clips_by_channel ON clips (channel_id, mastered_at);
