import { quoteIdent } from '@medspa/db';

/**
 * Migration SQL for messaging state in a service's schema. Unlike the log and the outbox these
 * tables are mutable (checkpoints move, dead letters are resolved); the app role gets SELECT,
 * INSERT, UPDATE and DELETE on them through the default privileges that provisioning set up.
 *
 * - relay_checkpoints: how far the relay has published this schema's outbox to Kafka.
 * - processed_messages: every message a consumer has applied, written in the transaction of its
 *   effect, so that a redelivery is recognised and skipped.
 * - tail_checkpoints: how far a Postgres-tail consumer has read a producer's outbox.
 * - dead_letters: messages a Postgres-tail consumer parked (Kafka consumers park on `<topic>.dlq`).
 */
export function messagingMigrationSql(schema: string): string {
  const s = quoteIdent(schema);
  return `
CREATE TABLE ${s}.relay_checkpoints (
  relay text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${s}.processed_messages (
  consumer text NOT NULL,
  message_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX processed_messages_age ON ${s}.processed_messages (processed_at);

CREATE TABLE ${s}.tail_checkpoints (
  consumer text NOT NULL,
  producer_schema text NOT NULL,
  transaction_id xid8 NOT NULL,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, producer_schema)
);

CREATE TABLE ${s}.dead_letters (
  consumer text NOT NULL,
  message_id uuid NOT NULL,
  topic text NOT NULL,
  message_key text NOT NULL,
  message_type text NOT NULL,
  payload bytea NOT NULL,
  headers jsonb NOT NULL,
  error_class text NOT NULL,
  error_reason text NOT NULL,
  attempts integer NOT NULL CHECK (attempts > 0),
  parked_at timestamptz NOT NULL DEFAULT now(),
  redrive_requested_at timestamptz,
  resolved_at timestamptz,
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX dead_letters_redrive ON ${s}.dead_letters (consumer, redrive_requested_at)
  WHERE redrive_requested_at IS NOT NULL AND resolved_at IS NULL;
`;
}
