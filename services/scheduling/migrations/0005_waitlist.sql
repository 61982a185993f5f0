-- The waitlist read model, utilisation per provider and day, and the auto-fill cascade's own
-- state with its durable timers.

-- Waitlist entries: the entry's state, evolved by the domain, plus the columns lists filter on.
CREATE TABLE scheduling.waitlist_entries (
  tenant_id uuid NOT NULL,
  entry_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  location_id uuid NOT NULL,
  treatment_id uuid NOT NULL,
  status text NOT NULL,
  priority int NOT NULL,
  joined_at timestamptz NOT NULL,
  version bigint NOT NULL,
  state jsonb NOT NULL,
  PRIMARY KEY (tenant_id, entry_id)
);
CREATE INDEX waitlist_entries_by_wish ON scheduling.waitlist_entries (tenant_id, location_id, treatment_id, status);
CREATE INDEX waitlist_entries_by_patient ON scheduling.waitlist_entries (tenant_id, patient_id);

-- One row per appointment: the treatment minutes it books on its provider's local day. Summed per
-- provider and day by the utilisation query (so a reschedule or cancellation is one row update).
CREATE TABLE scheduling.provider_bookings (
  tenant_id uuid NOT NULL,
  appointment_id uuid NOT NULL,
  location_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  local_date date NOT NULL,
  minutes int NOT NULL,
  status text NOT NULL,
  state jsonb NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id)
);
CREATE INDEX provider_bookings_by_day ON scheduling.provider_bookings (tenant_id, location_id, local_date);

-- A freed slot being offered around the waitlist (process-manager state, written in the same
-- transaction as the events that move it). status: open | offered | booked | ended.
CREATE TABLE scheduling.waitlist_cascades (
  tenant_id uuid NOT NULL,
  cascade_id uuid NOT NULL,
  freed_by uuid NOT NULL,
  location_id uuid NOT NULL,
  treatment_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  room_id uuid,
  device_id uuid,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  status text NOT NULL,
  entry_id uuid,
  offer_id uuid,
  offers_made int NOT NULL DEFAULT 0,
  outcome text,
  appointment_id uuid,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, cascade_id)
);
CREATE UNIQUE INDEX waitlist_cascades_by_offer ON scheduling.waitlist_cascades (tenant_id, offer_id);

-- Durable timers: when each cascade must next be looked at (an offer's expiry, or "now" after a
-- decline). Scanned across tenants by the timer poller with FOR UPDATE SKIP LOCKED, so it has no
-- row-level security; it holds ids and instants only, and every step it fires runs under the row's
-- tenant (RLS set) against the cascade and the log.
CREATE TABLE scheduling.waitlist_timers (
  cascade_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  due_at timestamptz NOT NULL
);
CREATE INDEX waitlist_timers_by_due ON scheduling.waitlist_timers (due_at);

ALTER TABLE scheduling.waitlist_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.waitlist_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.waitlist_entries
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE scheduling.provider_bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.provider_bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.provider_bookings
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE scheduling.waitlist_cascades ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduling.waitlist_cascades FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scheduling.waitlist_cascades
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
