import type { CallContext } from '@medspa/grpc';
import { errors } from '@medspa/errors';
import { newId, type EventMetadata } from '@medspa/eventstore';
import type { WeeklyRange } from '../../domain/index.js';

// Proto <-> domain helpers shared by the RPC groups. proto3 has no "absent" for strings, so an
// empty string means "none"; the domain validates everything else and names the field.

/** Who did it, for every event appended on this call; the tenant only from the verified token. */
export const metadataOf = (ctx: CallContext): EventMetadata => ({
  tenantId: ctx.principal.tenantId,
  actor: { id: ctx.principal.userId, role: ctx.principal.role },
  correlationId: ctx.requestId,
  ...(ctx.traceparent === undefined ? {} : { traceparent: ctx.traceparent }),
});

/** A required Timestamp as the domain's Instant; INVALID_INSTANT naming the field when missing. */
export function instantOf(value: Date | undefined, field: string): string {
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.toISOString();
  throw errors.validation('INVALID_INSTANT', `${field} is required`, {
    violations: [{ field, message: 'expected a timestamp' }],
  });
}

/** An optional reference: empty means none. */
export const optional = (value: string): string | null => (value === '' ? null : value);

/** The id the caller chose for a new record, or a fresh UUIDv7. */
export const chosenId = (value: string): string => (value === '' ? newId() : value);

/** Weekly ranges from proto (the weekday arrives as a plain number; the domain checks 1..7). */
export const weeklyRanges = (ranges: readonly { weekday: number; start: string; end: string }[]) =>
  ranges.map((r) => ({ weekday: r.weekday, start: r.start, end: r.end }) as WeeklyRange);
