-- PostgreSQL twin of db/migration/V3__playout.sql: epoch milliseconds, 90 kHz ticks and media
-- sequence numbers are BIGINT.

-- Playout: per channel, a wall-clock epoch and the airings on its timeline.
-- Times on the timeline are 90 kHz ticks since the channel's epoch, the clock of MPEG-TS.
CREATE TABLE playout_channel (
  channel_id TEXT PRIMARY KEY,
  epoch_ms   BIGINT NOT NULL
);

CREATE TABLE playout_airing (
  channel_id             TEXT    NOT NULL REFERENCES playout_channel(channel_id),
  first_media_sequence   BIGINT  NOT NULL,  -- media sequence number of its first HLS segment
  start_ticks            BIGINT  NOT NULL,
  frames                 INTEGER NOT NULL,
  segments               INTEGER NOT NULL,
  discontinuity          INTEGER NOT NULL,  -- 1 when its timestamps do not continue the previous airing's
  discontinuity_sequence BIGINT  NOT NULL,  -- discontinuities up to and including its start
  clip_id                TEXT,              -- NULL for the channel's slate
  master                 TEXT    NOT NULL,  -- the master file; segments are in hls/ beside it
  title                  TEXT    NOT NULL,
  prompt                 TEXT    NOT NULL,
  fresh                  INTEGER NOT NULL,  -- 1 for the clip's first airing on this channel
  counters               TEXT    NOT NULL,  -- continuity counter per PID at its first packet, "pid:cc,..."
  PRIMARY KEY (channel_id, first_media_sequence)
);

-- When each clip last aired on each channel; outlives pruned airings, drives rerun choice.
CREATE TABLE playout_clip_history (
  channel_id       TEXT    NOT NULL REFERENCES playout_channel(channel_id),
  clip_id          TEXT    NOT NULL,
  last_start_ticks BIGINT  NOT NULL,
  airings          INTEGER NOT NULL,
  PRIMARY KEY (channel_id, clip_id)
);
