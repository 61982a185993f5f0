-- Projected from the session streams: a clinic's sessions by id and by user (who is signed in,
-- which sessions to revoke when an account is disabled). Rebuildable from the log.
CREATE TABLE sessions (
  session_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'logged_out', 'revoked', 'idle_timeout', 'expired')),
  started_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id) WHERE status = 'active';
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
