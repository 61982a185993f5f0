-- Each encounter's chart as the encounter stream folds it, sealed as ONE field ciphertext under
-- the patient's data key (the AAD binds tenant, patient, encounter id and the stream version it
-- reflects): opening a chart decrypts one value per encounter instead of every event's PHI fields,
-- and folds on top only the events recorded after `version`. Ids and the version only in clear.
CREATE TABLE encounter_charts (
  tenant_id uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  chart_ct text NOT NULL,
  PRIMARY KEY (tenant_id, encounter_id)
);
-- Erasure purges by patient.
CREATE INDEX encounter_charts_patient ON encounter_charts (tenant_id, patient_id);

ALTER TABLE encounter_charts ENABLE ROW LEVEL SECURITY;
ALTER TABLE encounter_charts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON encounter_charts
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
