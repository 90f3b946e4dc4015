-- LatentTV schema starts in V2 (jobs and clips); V1 is intentionally empty so every module's migrations have a base.
SELECT 1;
