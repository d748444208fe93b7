-- Migration: 002_add_playlists.sql
-- Description: Add playlist and playlist_tracks tables (planned in the
-- schema documentation).

-- UP
BEGIN;

CREATE TABLE users.playlists (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  name VARCHAR(255) NOT NULL,
  description TEXT,
  is_public BOOLEAN DEFAULT FALSE,
  is_collaborative BOOLEAN DEFAULT FALSE,
  cover_image_url VARCHAR(500),
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_playlists_user ON users.playlists(user_id);
CREATE INDEX idx_playlists_public ON users.playlists(is_public);

CREATE TABLE users.playlist_tracks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  playlist_id UUID NOT NULL REFERENCES users.playlists(id) ON DELETE CASCADE,
  track_id UUID NOT NULL REFERENCES meekah.track_info(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  added_by UUID REFERENCES auth.users(id),
  added_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_playlist_tracks_playlist ON users.playlist_tracks(playlist_id);
CREATE INDEX idx_playlist_tracks_track ON users.playlist_tracks(track_id);
CREATE UNIQUE INDEX idx_playlist_tracks_unique ON users.playlist_tracks(playlist_id, track_id);

COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP TABLE users.playlist_tracks;
-- DROP TABLE users.playlists;
-- COMMIT;
