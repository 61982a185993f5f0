import type { FailureDescription } from '../failures.js';

/** Headers a parked message carries on `<topic>.dlq`, beside its original envelope. */
export const DEAD_LETTER_HEADER_KEYS = [
  'dlq_consumer',
  'dlq_error_class',
  'dlq_error_reason',
  'dlq_attempts',
  'dlq_source_topic',
  'dlq_source_partition',
  'dlq_source_offset',
  'dlq_parked_at',
] as const;

export interface ParkedAt {
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  failure: FailureDescription;
  now: Date;
}

/** The dead-letter headers: who parked it, why (class and code only, no error message), from where. */
export function deadLetterHeaders(p: ParkedAt): Record<string, string> {
  return {
    dlq_consumer: p.consumer,
    dlq_error_class: p.failure.errorClass,
    dlq_error_reason: p.failure.reason,
    dlq_attempts: String(p.attempts),
    dlq_source_topic: p.topic,
    dlq_source_partition: String(p.partition),
    dlq_source_offset: p.offset,
    dlq_parked_at: p.now.toISOString(),
  };
}

/** The original headers of a parked message, for re-drive: every `dlq_` header removed. */
export function withoutDeadLetterHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('dlq_')));
}
