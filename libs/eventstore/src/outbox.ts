import { quoteIdent, type Queryable } from '@medspa/db';
import type { OutboxMessage } from './types.js';

/**
 * Writes messages that have no event of their own (access events: a read of PHI, allowed or denied)
 * to the outbox. Call it inside the request, before the data is returned, so that nothing leaves
 * without its audit record.
 */
export async function writeOutbox(db: Queryable, schema: string, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db.query({
    name: `eventstore.writeOutbox.${schema}`,
    text: `INSERT INTO ${quoteIdent(schema)}.outbox (message_id, topic, message_key, message_type, payload, headers)
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::jsonb[])`,
    values: [
      messages.map((m) => m.messageId),
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.type),
      messages.map((m) => Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength)),
      messages.map((m) => JSON.stringify(m.headers)),
    ],
  });
}
