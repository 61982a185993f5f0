-- The tamper-evident audit store. One hash chain per tenant: `chains` holds each chain's head (the
-- row appenders lock), `entries` the chained entries, `entry_messages` the idempotency registry,
-- `checkpoints` the Ed25519-signed heads. Nothing here is ever updated or deleted, except a chain's
-- head, which only moves forward. See services/audit/README.md.

CREATE FUNCTION audit.refuse_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE audit.chains (
  tenant_id uuid PRIMARY KEY,
  head_seq bigint NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
  head_hash bytea NOT NULL CHECK (length(head_hash) = 32),
  -- appended_at of the head entry; later entries never get an earlier one, so each monthly
  -- partition holds one contiguous run of every chain.
  head_appended_at timestamptz NOT NULL DEFAULT '-infinity',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit.chain_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.head_seq < OLD.head_seq
     OR NEW.head_appended_at < OLD.head_appended_at THEN
    RAISE EXCEPTION 'audit.chains: a chain head only moves forward'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER chains_move_forward BEFORE UPDATE ON audit.chains
  FOR EACH ROW EXECUTE FUNCTION audit.chain_moves_forward();
CREATE TRIGGER chains_no_delete BEFORE DELETE ON audit.chains
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation();
CREATE TRIGGER chains_no_truncate BEFORE TRUNCATE ON audit.chains
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation();

-- Range partitioned by month of appended_at (the time the audit service stored the entry, not the
-- producer's occurred_at): late or redriven events then land in the current partition, never in
-- an archived one. The primary key must include the partition key; (tenant_id, seq) stays unique
-- because seq is assigned under the chain's row lock.
CREATE TABLE audit.entries (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  appended_at timestamptz NOT NULL,
  message_id uuid NOT NULL,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_id text NOT NULL,
  actor_role text NOT NULL,
  subject_id text,
  action text NOT NULL,
  correlation_id text NOT NULL,
  source_topic text NOT NULL,
  source_partition integer,
  source_offset bigint,
  canonical bytea NOT NULL,
  prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
  entry_hash bytea NOT NULL CHECK (length(entry_hash) = 32),
  PRIMARY KEY (tenant_id, seq, appended_at)
) PARTITION BY RANGE (appended_at);

-- The compliance queries: by patient, by user, by time range, by request.
CREATE INDEX entries_by_subject ON audit.entries (tenant_id, subject_id, occurred_at);
CREATE INDEX entries_by_actor ON audit.entries (tenant_id, actor_id, occurred_at);
CREATE INDEX entries_by_time ON audit.entries (tenant_id, occurred_at);
CREATE INDEX entries_by_correlation ON audit.entries (tenant_id, correlation_id);

CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON audit.entries
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON audit.entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation();

-- A unique index on a partitioned table must contain the partition key, so the log-wide uniqueness
-- of message ids (idempotent ingest) lives in this unpartitioned registry instead.
CREATE TABLE audit.entry_messages (
  message_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL
);
CREATE TRIGGER entry_messages_append_only BEFORE UPDATE OR DELETE ON audit.entry_messages
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation();
CREATE TRIGGER entry_messages_no_truncate BEFORE TRUNCATE ON audit.entry_messages
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation();

CREATE TABLE audit.checkpoints (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  head_hash bytea NOT NULL CHECK (length(head_hash) = 32),
  previous_seq bigint NOT NULL CHECK (previous_seq >= 0 AND previous_seq < seq),
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq),
  -- Two checkpointers racing must not fork the series: each checkpoint has one successor.
  CONSTRAINT checkpoints_one_successor UNIQUE (tenant_id, previous_seq)
);
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON audit.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation();

-- Creates the monthly partitions of entries from the current month through `months_ahead` months
-- later; returns how many it created. SECURITY DEFINER so the app role (which may not create
-- tables) can call it at start-up and daily; each new partition gets the same grants and
-- TRUNCATE trigger as its parent (statement triggers are not inherited by partitions).
CREATE FUNCTION audit.ensure_entry_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  first_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
  month timestamp;
  name text;
  created integer := 0;
BEGIN
  IF months_ahead < 0 OR months_ahead > 24 THEN
    RAISE EXCEPTION 'months_ahead must be between 0 and 24' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('audit.ensure_entry_partitions'));
  FOR i IN 0..months_ahead LOOP
    month := first_month + make_interval(months => i);
    name := 'entries_' || to_char(month, '"y"YYYY"m"MM');
    CONTINUE WHEN to_regclass('audit.' || quote_ident(name)) IS NOT NULL;
    EXECUTE format(
      'CREATE TABLE audit.%I PARTITION OF audit.entries FOR VALUES FROM (%L) TO (%L)',
      name, (month AT TIME ZONE 'UTC'), ((month + interval '1 month') AT TIME ZONE 'UTC'));
    EXECUTE format('REVOKE ALL ON audit.%I FROM PUBLIC, audit_app', name);
    EXECUTE format('GRANT SELECT, INSERT ON audit.%I TO audit_app', name);
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE TRUNCATE ON audit.%I FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation()',
      name || '_no_truncate', name);
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;

SELECT audit.ensure_entry_partitions(3);

-- The app role appends and reads; it may move a chain head (forward only), and nothing else.
REVOKE ALL ON audit.chains, audit.entries, audit.entry_messages, audit.checkpoints FROM audit_app;
GRANT SELECT, INSERT ON audit.entries, audit.entry_messages, audit.checkpoints TO audit_app;
GRANT SELECT, INSERT, UPDATE ON audit.chains TO audit_app;
REVOKE ALL ON FUNCTION audit.ensure_entry_partitions(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.ensure_entry_partitions(integer) TO audit_app;
