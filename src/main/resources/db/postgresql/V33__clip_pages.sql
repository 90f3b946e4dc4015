-- PostgreSQL twin of db/migration/V33__clip_pages.sql (the same statement).

-- a clip's page says when it aired: its airings found by clip, not by scanning the channel's timeline
CREATE INDEX playout_airing_clip ON playout_airing (clip_id, channel_id, start_ticks);
