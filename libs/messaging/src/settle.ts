import { DEFAULT_MAX_ATTEMPTS, type ConsumerOptions } from './consumer-options.js';
import { deliver, type DeliveryOptions, type DeliveryResult } from './delivery.js';
import { describeFailure } from './failures.js';
import { toIncomingMessage, type RawMessage, type TransportName } from './incoming-message.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { Logger } from '@medspa/observability';

/** A delivery's result together with the message id it was recorded under (when the envelope had one). */
export type SettleResult = DeliveryResult & { messageId: string | undefined };

/** The delivery options of a consumer, filled with defaults. */
export function deliveryOptionsOf(
  options: ConsumerOptions,
  logger: Logger,
  signal: AbortSignal,
): DeliveryOptions {
  return {
    pool: options.pool,
    schema: options.schema,
    consumer: options.groupId,
    handler: options.handler,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    signal,
    logger,
    ...(options.isTransient === undefined ? {} : { isTransient: options.isTransient }),
  };
}

/**
 * Checks a raw message's envelope and delivers it. A message whose envelope is incomplete cannot
 * be handled or deduplicated: it fails at once, to be parked like any other failure.
 */
export async function settle(
  raw: RawMessage,
  transport: TransportName,
  options: DeliveryOptions,
): Promise<SettleResult> {
  let message;
  try {
    message = toIncomingMessage(raw, transport);
  } catch (e) {
    return { outcome: 'failed', attempts: 1, failure: describeFailure(e), messageId: undefined };
  }
  const { attempt: _attempt, ...unattempted } = message;
  return { ...(await deliver(unattempted, options)), messageId: message.messageId };
}
