-- Legal holds, append-only like the log: placing a hold is one row, releasing it another row
-- (event = 'released'); nothing is updated or deleted. A hold blocks expiry of every archived
-- entry it touches (see README: retention and archival); it never blocks archival itself.
CREATE TABLE audit.legal_holds (
  tenant_id uuid NOT NULL,
  hold_id uuid NOT NULL,
  event text NOT NULL CHECK (event IN ('placed', 'released')),
  -- What a placement covers: one subject's entries (NULL: the whole chain), a period of occurred_at.
  subject_id text,
  period_from timestamptz,
  period_to timestamptz,
  -- Codes and a matter reference only: free text could carry PHI.
  reason_code text NOT NULL CHECK (reason_code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  reference text CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$'),
  actor_id text NOT NULL,
  actor_role text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- One placement and at most one release per hold.
  PRIMARY KEY (tenant_id, hold_id, event),
  CHECK (event = 'placed' OR (subject_id IS NULL AND period_from IS NULL AND period_to IS NULL AND reference IS NULL)),
  CHECK (period_from IS NULL OR period_to IS NULL OR period_from < period_to)
);

-- A release must name a placed hold of the same clinic.
CREATE FUNCTION audit.release_needs_placement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event = 'released' AND NOT EXISTS (
    SELECT 1 FROM audit.legal_holds h
    WHERE h.tenant_id = NEW.tenant_id AND h.hold_id = NEW.hold_id AND h.event = 'placed'
  ) THEN
    RAISE EXCEPTION 'audit.legal_holds: no placed hold % to release', NEW.hold_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER legal_holds_release_needs_placement BEFORE INSERT ON audit.legal_holds
  FOR EACH ROW EXECUTE FUNCTION audit.release_needs_placement();

CREATE TRIGGER legal_holds_append_only BEFORE UPDATE OR DELETE ON audit.legal_holds
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation();
CREATE TRIGGER legal_holds_no_truncate BEFORE TRUNCATE ON audit.legal_holds
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation();

REVOKE ALL ON audit.legal_holds FROM audit_app;
GRANT SELECT, INSERT ON audit.legal_holds TO audit_app;
