-- Which consent documents and intake forms each patient has: ids and instants only, no PHI.
-- The documents themselves are replayed from their streams (and decrypted) when read.
CREATE TABLE patient_documents (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('consent_document', 'intake_form')),
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, document_id)
);
CREATE INDEX patient_documents_patient ON patient_documents (tenant_id, patient_id, kind, recorded_at);

ALTER TABLE patient_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON patient_documents
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
