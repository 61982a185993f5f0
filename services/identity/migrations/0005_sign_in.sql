-- What sign-in needs synchronously, beside the event log (search_path is the service's schema).

-- E-mail claims: the blind index (HMAC under the clinic's key) of each account's normalised
-- address. Written in the same transaction as UserRegistered, so that two accounts can never claim
-- one address; read by SignIn to find the account. The address itself is only ever ciphertext.
CREATE TABLE user_emails (
  tenant_id uuid NOT NULL,
  email_lookup text NOT NULL,
  user_id uuid NOT NULL UNIQUE,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, email_lookup)
);
ALTER TABLE user_emails ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_emails FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_emails
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Second-step challenges: proof that the password was right, for a few minutes. Only the SHA-256
-- of the challenge secret is kept; a challenge is deleted when it is used.
CREATE TABLE mfa_challenges (
  challenge_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  secret_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX mfa_challenges_expiry ON mfa_challenges (expires_at);
ALTER TABLE mfa_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mfa_challenges
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- The platform's token signing keys (not per clinic, hence no tenant_id and no RLS). The private
-- half is stored wrapped by the KMS key-encryption key; the public half is what GetJwks serves.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('next', 'current', 'retired', 'withdrawn')),
  public_jwk jsonb NOT NULL,
  wrapped_private_key bytea NOT NULL,
  kek_ref text NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (status) WHERE status IN ('next', 'current');
