import { quoteIdent, withTransaction, type Pool, type PoolClient } from '@medspa/db';
import { SpanKind, withSpan } from '@medspa/observability';
import type { IncomingMessage } from './incoming-message.js';

/**
 * Applies several messages at once (optional, beside the one-message `handler`): `tx` is a client
 * inside the transaction that also records every message id in one statement, so the effect of
 * the whole batch and "done" commit together; redelivered ids are left out before it is called.
 * Unlike `handler`, `app.tenant_id` is NOT set (a batch may hold several tenants' messages): a
 * batch handler sets it itself where row-level security needs it.
 *
 * Throw to fail the batch: the transaction rolls back and each message of the batch is then
 * delivered alone through `handler` (retries with backoff, parking), so one bad message is parked
 * and the others applied, exactly as without batching.
 */
export type BatchMessageHandler = (messages: readonly IncomingMessage[], tx: PoolClient) => Promise<void>;

export interface BatchDeliveryOptions {
  pool: Pool;
  schema: string;
  consumer: string;
  batchHandler: BatchMessageHandler;
}

/**
 * One transaction: claim every message id (one INSERT … ON CONFLICT DO NOTHING RETURNING), hand
 * the newly claimed messages to the batch handler. Returns the ids it applied; every other message
 * of the batch was a duplicate (delivered before, or repeated within the batch).
 */
export async function applyBatchOnce(
  options: BatchDeliveryOptions,
  messages: readonly IncomingMessage[],
  attributes: Record<string, string | number> = {},
): Promise<Set<string>> {
  return withSpan(
    `handle batch ${messages[0]?.topic ?? ''}`,
    (span) =>
      withTransaction(options.pool, async (tx) => {
        const claimed = await tx.query<{ message_id: string }>({
          name: `messaging.claim-batch.${options.schema}`,
          text: `INSERT INTO ${quoteIdent(options.schema)}.processed_messages (consumer, message_id)
            SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING message_id`,
          values: [options.consumer, messages.map((m) => m.messageId)],
        });
        const fresh = new Set(claimed.rows.map((r) => r.message_id));
        // An id repeated within the batch is claimed once: only its first message is applied.
        const taken = new Set<string>();
        const toApply = messages.filter((m) => {
          if (!fresh.has(m.messageId) || taken.has(m.messageId)) return false;
          taken.add(m.messageId);
          return true;
        });
        if (toApply.length > 0) await options.batchHandler(toApply, tx);
        span.setAttributes({
          'messaging.batch.message_count': messages.length,
          'medspa.delivery.applied': toApply.length,
        });
        return taken;
      }),
    { 'messaging.consumer.group.name': options.consumer, ...attributes },
    { kind: SpanKind.CONSUMER },
  );
}
