import { errors } from '@medspa/errors';

/**
 * A UTC instant as ISO-8601 ending in `Z` (`2026-03-08T14:00:00.000Z`). Commands and events carry
 * instants in this form: JSON, readable in the audit log, lossless to a protobuf Timestamp. Pure
 * computations work in epoch milliseconds, and such fields end in `Ms`.
 */
export type Instant = string;

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/;

/** Epoch ms of an Instant; a validation error (INVALID_INSTANT) naming the field otherwise. */
export function parseInstant(value: unknown, field: string): number {
  if (typeof value === 'string' && INSTANT.test(value)) {
    const ms = Date.parse(value);
    // Date.parse rolls 2026-02-30 over into March; the round trip refuses such dates.
    if (Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 16) === value.slice(0, 16)) return ms;
  }
  throw errors.validation('INVALID_INSTANT', `${field} must be a UTC instant such as 2026-03-08T14:00:00Z`, {
    violations: [{ field, message: 'expected a UTC ISO-8601 instant ending in Z' }],
  });
}

/** The canonical Instant of epoch ms, as stored in events. */
export const toInstant = (ms: number): Instant => new Date(ms).toISOString();
