-- Read models of patient-record. Runs with search_path set to the service's schema.
-- Every PHI column holds a field ciphertext (AES-256-GCM under the patient's data key, bound to
-- tenant, patient and field); nothing here is readable without the keyring.

-- The patient list behind search results: only what a result row shows.
CREATE TABLE patient_directory (
  tenant_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  active boolean NOT NULL,
  registered_at timestamptz NOT NULL,
  name_ct text NOT NULL,
  date_of_birth_ct text NOT NULL,
  phone_ct text,
  PRIMARY KEY (tenant_id, patient_id)
);

-- Blind-index tokens (HMAC under the tenant's blind-index key) for search without decrypting:
-- kind is name_prefix (type-ahead), phone or date_of_birth. Kept in a table of its own so that
-- the prefix tokens, which leak the most, can be dropped and rebuilt apart.
CREATE TABLE patient_search_tokens (
  tenant_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('name_prefix', 'phone', 'date_of_birth')),
  token text NOT NULL,
  PRIMARY KEY (tenant_id, kind, token, patient_id)
);
CREATE INDEX patient_search_tokens_patient ON patient_search_tokens (tenant_id, patient_id);

-- Which encounters a patient has (ids and status only, no PHI): the FHIR export lists them here.
CREATE TABLE encounter_directory (
  tenant_id uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  signed boolean NOT NULL,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, encounter_id)
);
CREATE INDEX encounter_directory_patient ON encounter_directory (tenant_id, patient_id, opened_at);

ALTER TABLE patient_directory ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_directory FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON patient_directory
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE patient_search_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_search_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON patient_search_tokens
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE encounter_directory ENABLE ROW LEVEL SECURITY;
ALTER TABLE encounter_directory FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON encounter_directory
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
