-- PostgreSQL twin of db/migration/V32__living_room.sql (the same statements).

-- What living-room clients (Plex, Jellyfin, Emby, Channels DVR) must find unchanged after every
-- restart: the emulated HDHomeRun tuner's DeviceID, and each channel's number (the guide number a
-- channel got once stays its own; numbers set in the YAML take precedence).
CREATE TABLE living_room_device (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  device_id  TEXT    NOT NULL             -- 8 hex digits with HDHomeRun's check digit
);

CREATE TABLE living_room_channel (
  channel_id TEXT    PRIMARY KEY,
  number     INTEGER NOT NULL UNIQUE
);
