-- Scheduling's read models. Every table carries tenant_id under a FORCE'd row-level-security
-- policy on app.tenant_id (as tenantIsolationSql writes it), so a query that forgets its WHERE
-- clause still sees one clinic only. The app role gets its privileges from the default
-- privileges that provisioning set up.

-- The clinic's setup as availability search needs it: the current state of every location,
-- provider, provider schedule, room, device and treatment stream, evolved by the domain's own
-- evolve functions. `location_id` is set for rooms and devices, which belong to one location.
CREATE TABLE scheduling.catalogue (
  tenant_id uuid NOT NULL,
  stream_type text NOT NULL,
  entity_id uuid NOT NULL,
  location_id uuid,
  state jsonb NOT NULL,
  PRIMARY KEY (tenant_id, stream_type, entity_id)
);
CREATE INDEX catalogue_by_location ON scheduling.catalogue (tenant_id, stream_type, location_id);

-- Held time per resource and local date (buffers included), one row per appointment hold.
CREATE TABLE scheduling.calendar_holds (
  tenant_id uuid NOT NULL,
  resource_kind text NOT NULL,
  resource_id uuid NOT NULL,
  local_date date NOT NULL,
  appointment_id uuid NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, resource_kind, resource_id, local_date, appointment_id)
);
CREATE INDEX calendar_holds_by_time ON scheduling.calendar_holds (tenant_id, resource_kind, resource_id, start_at);

-- Appointments for the day calendar (by location and time) and a patient's list (by patient).
CREATE TABLE scheduling.appointments (
  tenant_id uuid NOT NULL,
  appointment_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  location_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  room_id uuid,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  status text NOT NULL,
  version bigint NOT NULL,
  state jsonb NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id)
);
CREATE INDEX appointments_by_location ON scheduling.appointments (tenant_id, location_id, start_at);
CREATE INDEX appointments_by_patient ON scheduling.appointments (tenant_id, patient_id, start_at);

ALTER TABLE scheduling.catalogue ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.catalogue FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.catalogue
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE scheduling.calendar_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.calendar_holds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.calendar_holds
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE scheduling.appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.appointments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.appointments
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
