import type { EventToAppend, ExpectedVersion, OutboxMessage } from './types.js';

/*
 * How both append statements (one stream, several streams) receive their rows: events and outbox
 * messages as compact jsonb arrays, unpacked in SQL. One encoding, so the two cannot drift apart.
 */

/** `[eventId, type, schemaVersion, data]` per event. */
export const eventRows = (events: EventToAppend[], eventIds: string[]): unknown[] =>
  events.map((e, i) => [eventIds[i], e.event.type, e.schemaVersion ?? 1, e.event.data]);

/** `[messageId, topic, key, type, payload (base64), headers]` per message. */
export const outboxRows = (outbox: OutboxMessage[]): unknown[] =>
  outbox.map((m) => [
    m.messageId,
    m.topic,
    m.key,
    m.type,
    Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength).toString('base64'),
    m.headers,
  ]);

/** The CTE that inserts the outbox rows of parameter `$n`, only when the event insert wrote rows. */
export const outboxInsertCte = (qualifiedSchema: string, param: number): string => `ob AS (
  INSERT INTO ${qualifiedSchema}.outbox (message_id, topic, message_key, message_type, payload, headers)
  SELECT (o.x->>0)::uuid, o.x->>1, o.x->>2, o.x->>3, decode(o.x->>4, 'base64'), o.x->5
  FROM jsonb_array_elements($${param}::jsonb) AS o(x)
  WHERE EXISTS (SELECT 1 FROM ins)
)`;

export const expectedAsNumber = (v: ExpectedVersion): number | null =>
  v === 'any' ? null : v === 'no_stream' ? 0 : v;
