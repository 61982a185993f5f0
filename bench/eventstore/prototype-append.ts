import { quoteIdent, type Queryable } from '@medspa/db';
import { newId, type EventMetadata, type OutboxMessage } from '@medspa/eventstore';
import type { AppointmentEvent } from './payload.js';

/**
 * PROTOTYPE of a change suggested for libs/eventstore/src/append.ts, kept here only to measure it
 * (BENCH_PROTOTYPE=1 adds it as a fourth contender). Same single statement, same version check,
 * same outbox-in-the-same-statement, but the parameters change shape:
 * - the events travel as ONE jsonb array (`[[id, type, schemaVersion, data], ...]`) expanded by
 *   `jsonb_array_elements ... WITH ORDINALITY`, instead of five parallel arrays, so neither pg (in
 *   JS) nor Postgres has to escape and re-parse every JSON document as an array-literal element;
 * - the metadata, identical for every event of an append, is sent and parsed ONCE (`$4::jsonb`)
 *   instead of once per event;
 * - the outbox likewise as one jsonb array, payloads in base64 (bytea[] literals are hex-escaped
 *   twice over).
 */
function prototypeSql(schema: string): string {
  const s = quoteIdent(schema);
  return `
WITH cur AS (
  SELECT coalesce(max(stream_version), 0) AS v FROM ${s}.events WHERE stream_id = $1
), ins AS (
  INSERT INTO ${s}.events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
  SELECT $1, $2, cur.v + e.ord, (e.x->>0)::uuid, e.x->>1, (e.x->>2)::int, e.x->3, $4::jsonb
  FROM cur, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(x, ord)
  WHERE $5::bigint IS NULL OR cur.v = $5::bigint
  RETURNING global_position, stream_version
), ob AS (
  INSERT INTO ${s}.outbox (message_id, topic, message_key, message_type, payload, headers)
  SELECT (o.x->>0)::uuid, o.x->>1, o.x->>2, o.x->>3, decode(o.x->>4, 'base64'), o.x->5
  FROM jsonb_array_elements($6::jsonb) AS o(x)
  WHERE EXISTS (SELECT 1 FROM ins)
)
SELECT global_position, stream_version FROM ins ORDER BY stream_version`;
}

/** Appends like the store's `appendToStream` would with the change above (happy path only). */
export async function prototypeAppend(
  db: Queryable,
  schema: string,
  input: {
    streamId: string;
    streamType: string;
    expected: number | null;
    events: AppointmentEvent[];
    metadata: EventMetadata;
    outbox?: OutboxMessage[];
  },
): Promise<number[]> {
  const outbox = input.outbox ?? [];
  const res = await db.query<{ global_position: number }>({
    name: `prototype.append.${schema}`,
    text: prototypeSql(schema),
    values: [
      input.streamId,
      input.streamType,
      JSON.stringify(input.events.map((e) => [newId(), e.type, 1, e.data])),
      JSON.stringify(input.metadata),
      input.expected,
      JSON.stringify(
        outbox.map((m) => [
          m.messageId,
          m.topic,
          m.key,
          m.type,
          Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength).toString('base64'),
          m.headers,
        ]),
      ),
    ],
  });
  if (res.rows.length !== input.events.length) throw new Error(`stream ${input.streamId} changed`);
  return res.rows.map((r) => r.global_position);
}
