-- Migration: 004_ingest.sql
-- Description: blendcat's own bookkeeping: one row per run (what it read,
-- what it did, how it ended) and the state of every audio file seen, so
-- that --incremental can skip files that did not change.

-- UP
BEGIN;

CREATE SCHEMA ingest;

CREATE TABLE ingest.run (
  id BIGSERIAL PRIMARY KEY,
  command VARCHAR(20) NOT NULL, -- 'import', 'export', 'maintain'
  status VARCHAR(20) NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'ok', 'rejects', 'failed', 'interrupted')),
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  finished_at TIMESTAMPTZ,
  exit_code INTEGER,
  inputs TEXT[], -- paths as given on the command line
  options JSONB NOT NULL DEFAULT '{}', -- effective options (never a password)
  counts JSONB NOT NULL DEFAULT '{}', -- per table: inserted, updated, unchanged, rejected...
  rejects_dir TEXT,
  error TEXT,
  client_host VARCHAR(255),
  client_user VARCHAR(100),
  blendcat_version VARCHAR(50)
);

CREATE INDEX idx_run_started ON ingest.run(started_at);
CREATE INDEX idx_run_status ON ingest.run(status);

CREATE TABLE ingest.file_state (
  path TEXT PRIMARY KEY, -- absolute path of the audio file
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL, -- nanoseconds since the epoch
  ctime_ns BIGINT NOT NULL,
  audio_filename VARCHAR(255), -- the track it fed, if any
  run_id BIGINT REFERENCES ingest.run(id) ON DELETE SET NULL,
  seen_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_file_state_audio ON ingest.file_state(audio_filename);
CREATE INDEX idx_file_state_run ON ingest.file_state(run_id);

COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP TABLE ingest.file_state;
-- DROP TABLE ingest.run;
-- DROP SCHEMA ingest;
-- COMMIT;
