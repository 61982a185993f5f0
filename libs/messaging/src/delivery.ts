import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { quoteIdent, withTransaction, type Pool, type PoolClient } from '@medspa/db';
import { extractTraceContext, SpanKind, withSpan, type Logger } from '@medspa/observability';
import { backoffDelay, sleep, type Backoff } from './backoff.js';
import { describeFailure, isTransientFailure, type FailureDescription } from './failures.js';
import type { IncomingMessage } from './incoming-message.js';

/**
 * Applies one message. `tx` is a client inside the transaction that also records the message id,
 * so the effect and "done" commit together; `app.tenant_id` is already set to the envelope's tenant
 * for row-level security. Throw to fail: AppErrors of kind validation, forbidden, unauthenticated
 * or precondition are parked at once, anything else is retried with backoff first.
 */
export type MessageHandler = (message: IncomingMessage, tx: PoolClient) => Promise<void>;

export type DeliveryOutcome = 'applied' | 'duplicate' | 'parked';

export type DeliveryResult =
  | { outcome: 'applied' | 'duplicate'; attempts: number }
  | { outcome: 'failed'; attempts: number; failure: FailureDescription };

export interface DeliveryOptions {
  pool: Pool;
  /** The consumer's schema, holding `processed_messages`. */
  schema: string;
  consumer: string;
  handler: MessageHandler;
  maxAttempts: number;
  backoff: Backoff;
  /** Aborts the wait between attempts when the consumer stops; the message then stays undone. */
  signal: AbortSignal;
  logger: Logger;
  isTransient?: (e: unknown) => boolean;
  /** Runs during long waits between attempts (Kafka: heartbeat, so the group keeps the partition). */
  whileWaiting?: () => Promise<void>;
}

/** Runs the handler and records the message id in one transaction; a recorded id is skipped. */
async function applyOnce(
  options: DeliveryOptions,
  message: IncomingMessage,
): Promise<'applied' | 'duplicate'> {
  return withTransaction(options.pool, async (tx) => {
    const claimed = await tx.query({
      name: `messaging.claim.${options.schema}`,
      text: `INSERT INTO ${quoteIdent(options.schema)}.processed_messages (consumer, message_id)
        VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      values: [options.consumer, message.messageId],
    });
    if (claimed.rowCount === 0) return 'duplicate';
    await tx.query("SELECT set_config('app.tenant_id', $1, true)", [message.envelope.tenantId]);
    await options.handler(message, tx);
    return 'applied';
  });
}

async function waitBeforeRetry(options: DeliveryOptions, attempt: number): Promise<void> {
  const until = Date.now() + backoffDelay(options.backoff, attempt);
  // Slices of at most a second, so a Kafka consumer keeps heartbeating through a long backoff.
  for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
    await sleep(Math.min(left, 1_000), options.signal);
    await options.whileWaiting?.();
  }
}

/**
 * Delivers one message to the handler at most once per consumer: retries transient failures with
 * exponential backoff up to `maxAttempts`, and reports a failure for the caller to park. The span
 * continues the trace carried in the message's `traceparent`.
 */
export async function deliver(
  message: Omit<IncomingMessage, 'attempt'>,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const isTransient = options.isTransient ?? isTransientFailure;
  const attributes = {
    'messaging.system': message.transport === 'kafka' ? 'kafka' : 'postgresql',
    'messaging.destination.name': message.topic,
    'messaging.message.id': message.messageId,
    'messaging.consumer.group.name': options.consumer,
    'medspa.message.type': message.type,
  };
  const parent = extractTraceContext(message.headers, ROOT_CONTEXT);
  return withSpan(
    `handle ${message.topic}`,
    async (span): Promise<DeliveryResult> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await applyOnce(options, { ...message, attempt });
          span.setAttributes({ 'medspa.delivery.outcome': outcome, 'medspa.delivery.attempts': attempt });
          return { outcome, attempts: attempt };
        } catch (e) {
          const failure = describeFailure(e);
          const retry = attempt < options.maxAttempts && isTransient(e);
          options.logger.warn(
            {
              messageId: message.messageId,
              topic: message.topic,
              consumer: options.consumer,
              attempt,
              ...failure,
              retry,
            },
            'message handler failed',
          );
          if (!retry) {
            span.setAttributes({
              'medspa.delivery.outcome': 'parked',
              'medspa.delivery.attempts': attempt,
              'error.type': failure.reason,
            });
            span.setStatus({ code: SpanStatusCode.ERROR });
            return { outcome: 'failed', attempts: attempt, failure };
          }
          await waitBeforeRetry(options, attempt);
        }
      }
    },
    attributes,
    { kind: SpanKind.CONSUMER, parent },
  );
}
