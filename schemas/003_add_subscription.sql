-- Migration: 003_add_subscription.sql
-- Description: Add the subscription table (planned in the schema
-- documentation).

-- UP
BEGIN;

CREATE TABLE users.subscription (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  plan VARCHAR(50) NOT NULL, -- 'free', 'pro', 'enterprise'
  status VARCHAR(50) NOT NULL, -- 'active', 'cancelled', 'expired', 'past_due'
  current_period_start TIMESTAMP NOT NULL,
  current_period_end TIMESTAMP NOT NULL,
  cancel_at_period_end BOOLEAN DEFAULT FALSE,
  stripe_subscription_id VARCHAR(255),
  stripe_customer_id VARCHAR(255),
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_subscription_user ON users.subscription(user_id);
CREATE INDEX idx_subscription_status ON users.subscription(status);
CREATE INDEX idx_subscription_stripe_id ON users.subscription(stripe_subscription_id);

COMMIT;

-- DOWN (rollback)
-- BEGIN;
-- DROP TABLE users.subscription;
-- COMMIT;
