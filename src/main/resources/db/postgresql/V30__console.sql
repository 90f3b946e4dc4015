-- PostgreSQL twin of db/migration/V30__console.sql: instants are BIGINT epoch milliseconds.

-- The operator console: operators, their sessions and API tokens, channels made in the console, and
-- paused channels. Passwords, session ids and tokens are stored only as hashes.

-- password_hash: argon2id in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
CREATE TABLE operators (
  name          TEXT    PRIMARY KEY,
  password_hash TEXT    NOT NULL,
  created_at    BIGINT  NOT NULL
);

-- id_hash: SHA-256 of the session cookie's value (256 random bits); csrf: the token every
-- state-changing request of the session must carry.
CREATE TABLE operator_sessions (
  id_hash    TEXT    PRIMARY KEY,
  operator   TEXT    NOT NULL REFERENCES operators (name) ON DELETE CASCADE,
  csrf       TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  seen_at    BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL
);
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_at);

-- A token is "ltv_<id>_<secret>"; only SHA-256 of the secret (256 random bits) is kept.
CREATE TABLE api_tokens (
  id          TEXT    PRIMARY KEY,
  name        TEXT    NOT NULL,
  operator    TEXT    NOT NULL,
  secret_hash TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  used_at     BIGINT,
  revoked_at  BIGINT
);

-- Channels made in the console (YAML channels stay in the YAML): the same structure as a channel of
-- the YAML file, as JSON, validated by the same loader.
CREATE TABLE console_channels (
  id         TEXT    PRIMARY KEY,
  document   TEXT    NOT NULL,
  created_by TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);

-- Channels an operator paused: no new generation, reruns air on. Any channel, from the YAML or the console.
CREATE TABLE channel_pauses (
  channel_id TEXT    PRIMARY KEY,
  paused_by  TEXT    NOT NULL,
  paused_at  BIGINT  NOT NULL
);
