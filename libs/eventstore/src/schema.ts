import { quoteIdent } from '@medspa/db';

/**
 * Migration SQL for a service's event store: the append-only `events` log and the `outbox` of
 * integration and access messages. Both refuse UPDATE, DELETE and TRUNCATE twice over: a trigger
 * (which binds even the owner) and grants (the app role may only SELECT and INSERT).
 */
export function eventStoreMigrationSql(schema: string): string {
  const s = quoteIdent(schema);
  const app = quoteIdent(`${schema}_app`);
  return `
CREATE TABLE ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_type text NOT NULL,
  stream_version bigint NOT NULL CHECK (stream_version > 0),
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  schema_version integer NOT NULL DEFAULT 1,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_version),
  CONSTRAINT events_event_id_unique UNIQUE (event_id)
);
CREATE UNIQUE INDEX events_global_position ON ${s}.events (global_position);
CREATE INDEX events_gap_safe_order ON ${s}.events (transaction_id, global_position);

CREATE TABLE ${s}.outbox (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  message_id uuid NOT NULL CONSTRAINT outbox_message_id_unique UNIQUE,
  topic text NOT NULL,
  message_key text NOT NULL,
  message_type text NOT NULL,
  payload bytea NOT NULL,
  headers jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_gap_safe_order ON ${s}.outbox (transaction_id, position);

CREATE FUNCTION ${s}.refuse_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
  FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_mutation();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_mutation();
CREATE TRIGGER outbox_append_only BEFORE UPDATE OR DELETE ON ${s}.outbox
  FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_mutation();
CREATE TRIGGER outbox_no_truncate BEFORE TRUNCATE ON ${s}.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_mutation();

REVOKE ALL ON ${s}.events, ${s}.outbox FROM ${app};
GRANT SELECT, INSERT ON ${s}.events, ${s}.outbox TO ${app};
`;
}
