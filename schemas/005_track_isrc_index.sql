-- Migration: 005_track_isrc_index.sql
-- Description: An index on meekah.track_info(isrc), which the schema
-- documentation does not have: a DDEX MEAD message names its tracks by
-- ISRC, and without it each import reads the whole catalog to find them.

-- UP
BEGIN;

CREATE INDEX idx_track_isrc ON meekah.track_info(isrc);

COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP INDEX meekah.idx_track_isrc;
-- COMMIT;
