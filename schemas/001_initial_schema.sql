-- Migration: 001_initial_schema.sql
-- Description: Schemas meekah, auth and users with every table of the
-- Blendtune schema documentation that is not marked planned: track data,
-- authentication, profiles and roles, with their indexes.

-- UP
BEGIN;

CREATE SCHEMA meekah;
CREATE SCHEMA auth;
CREATE SCHEMA users;

-- meekah: track data

CREATE TABLE meekah.track_info (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  title VARCHAR(255) NOT NULL,
  artist VARCHAR(255),
  duration INTEGER NOT NULL, -- in seconds
  tempo INTEGER, -- BPM
  musical_key VARCHAR(10), -- e.g., 'C', 'D#', 'A'
  scale VARCHAR(10), -- 'major' or 'minor'
  genre VARCHAR(100),
  subgenre VARCHAR(100),
  mood VARCHAR(255)[], -- array of mood tags
  tags VARCHAR(100)[], -- array of general tags
  description TEXT,
  audio_filename VARCHAR(255) NOT NULL UNIQUE,
  cover_art_url VARCHAR(500),
  catalog_number VARCHAR(50),
  isrc VARCHAR(20),
  release_date DATE,
  popularity_score NUMERIC(5,2) DEFAULT 0,
  play_count BIGINT DEFAULT 0,
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_track_genre ON meekah.track_info(genre);
CREATE INDEX idx_track_tempo ON meekah.track_info(tempo);
CREATE INDEX idx_track_key ON meekah.track_info(musical_key);
CREATE INDEX idx_track_scale ON meekah.track_info(scale);
CREATE INDEX idx_track_release_date ON meekah.track_info(release_date);
CREATE INDEX idx_track_mood ON meekah.track_info USING GIN(mood);
CREATE INDEX idx_track_tags ON meekah.track_info USING GIN(tags);
CREATE INDEX idx_track_filters ON meekah.track_info(genre, tempo, musical_key);

CREATE TABLE meekah.track_arrangement (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL REFERENCES meekah.track_info(id) ON DELETE CASCADE,
  section_name VARCHAR(50) NOT NULL, -- 'intro', 'verse', 'chorus', 'bridge', 'outro'
  start_time INTEGER NOT NULL, -- seconds from start
  end_time INTEGER NOT NULL, -- seconds from start
  description TEXT,
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_arrangement_track ON meekah.track_arrangement(track_id);
CREATE INDEX idx_arrangement_section ON meekah.track_arrangement(section_name);

CREATE TABLE meekah.track_creator (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL REFERENCES meekah.track_info(id) ON DELETE CASCADE,
  creator_name VARCHAR(255) NOT NULL,
  role VARCHAR(100), -- 'producer', 'composer', 'songwriter', 'performer'
  ipi_number VARCHAR(20), -- Interested Party Information number
  pro VARCHAR(100), -- Performing Rights Organization (ASCAP, BMI, etc.)
  split_percentage NUMERIC(5,2), -- ownership percentage
  contact_email VARCHAR(255),
  contact_phone VARCHAR(50),
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_creator_track ON meekah.track_creator(track_id);
CREATE INDEX idx_creator_name ON meekah.track_creator(creator_name);
CREATE INDEX idx_creator_ipi ON meekah.track_creator(ipi_number);

CREATE TABLE meekah.track_instrument (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL REFERENCES meekah.track_info(id) ON DELETE CASCADE,
  instrument_category VARCHAR(100), -- 'synth', 'drums', 'bass', 'guitar', 'vocals'
  instrument_type VARCHAR(100), -- specific type, e.g., '808', 'electric guitar'
  is_primary BOOLEAN DEFAULT FALSE, -- main instrument in the track
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_instrument_track ON meekah.track_instrument(track_id);
CREATE INDEX idx_instrument_category ON meekah.track_instrument(instrument_category);
CREATE INDEX idx_instrument_primary ON meekah.track_instrument(is_primary);

CREATE TABLE meekah.track_sample (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL REFERENCES meekah.track_info(id) ON DELETE CASCADE,
  sample_pack_name VARCHAR(255),
  sample_description TEXT,
  is_cleared BOOLEAN DEFAULT FALSE,
  clearance_notes TEXT,
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_sample_track ON meekah.track_sample(track_id);
CREATE INDEX idx_sample_cleared ON meekah.track_sample(is_cleared);

-- auth: authentication

CREATE TABLE auth.users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email VARCHAR(255) UNIQUE NOT NULL,
  password_hash VARCHAR(255) NOT NULL, -- bcrypt hash
  email_verified BOOLEAN DEFAULT FALSE,
  email_verified_at TIMESTAMP,
  failed_login_attempts INTEGER DEFAULT 0,
  locked_until TIMESTAMP,
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_users_email ON auth.users(LOWER(email));
CREATE INDEX idx_users_verified ON auth.users(email_verified);

CREATE TABLE auth.sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  token VARCHAR(255) UNIQUE NOT NULL,
  ip_address VARCHAR(45), -- IPv6 compatible
  user_agent TEXT,
  created_at TIMESTAMP DEFAULT NOW(),
  expires_at TIMESTAMP NOT NULL,
  last_activity TIMESTAMP DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_sessions_token ON auth.sessions(token);
CREATE INDEX idx_sessions_user ON auth.sessions(user_id);
CREATE INDEX idx_sessions_expires ON auth.sessions(expires_at);
CREATE INDEX idx_sessions_activity ON auth.sessions(last_activity);

CREATE TABLE auth.email_verification (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  token VARCHAR(255) UNIQUE NOT NULL,
  created_at TIMESTAMP DEFAULT NOW(),
  expires_at TIMESTAMP NOT NULL,
  used_at TIMESTAMP
);

CREATE UNIQUE INDEX idx_email_verification_token ON auth.email_verification(token);
CREATE INDEX idx_email_verification_user ON auth.email_verification(user_id);
CREATE INDEX idx_email_verification_expires ON auth.email_verification(expires_at);

CREATE TABLE auth.password_reset (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  token VARCHAR(255) UNIQUE NOT NULL,
  created_at TIMESTAMP DEFAULT NOW(),
  expires_at TIMESTAMP NOT NULL,
  used_at TIMESTAMP
);

CREATE UNIQUE INDEX idx_password_reset_token ON auth.password_reset(token);
CREATE INDEX idx_password_reset_user ON auth.password_reset(user_id);
CREATE INDEX idx_password_reset_expires ON auth.password_reset(expires_at);

-- users: profiles and application data

CREATE TABLE users.profile (
  user_id UUID PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
  first_name VARCHAR(100),
  last_name VARCHAR(100),
  display_name VARCHAR(100),
  bio TEXT,
  avatar_url VARCHAR(500),
  country VARCHAR(100),
  timezone VARCHAR(100),
  language VARCHAR(10) DEFAULT 'en',
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_profile_display_name ON users.profile(display_name);

CREATE TABLE users.roles (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  role VARCHAR(50) NOT NULL, -- 'admin', 'user', 'artist', 'moderator'
  granted_at TIMESTAMP DEFAULT NOW(),
  granted_by UUID REFERENCES auth.users(id)
);

CREATE INDEX idx_roles_user ON users.roles(user_id);
CREATE INDEX idx_roles_role ON users.roles(role);

COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP TABLE users.roles;
-- DROP TABLE users.profile;
-- DROP TABLE auth.password_reset;
-- DROP TABLE auth.email_verification;
-- DROP TABLE auth.sessions;
-- DROP TABLE auth.users;
-- DROP TABLE meekah.track_sample;
-- DROP TABLE meekah.track_instrument;
-- DROP TABLE meekah.track_creator;
-- DROP TABLE meekah.track_arrangement;
-- DROP TABLE meekah.track_info;
-- DROP SCHEMA users;
-- DROP SCHEMA auth;
-- DROP SCHEMA meekah;
-- COMMIT;
