import type { AccountingOfDisclosuresRequest, QueryEntriesRequest } from '@medspa/contracts/medspa.audit.v1';
import { errors, type FieldViolation } from '@medspa/errors';
import type { EntryFilter } from '../../queries/entry-query.js';

const MAX_TEXT = 512;
// 45 CFR 164.528(a)(3): an accounting covers up to six years before the request.
const SIX_YEARS_MS = 6 * 366 * 24 * 3600 * 1000;

function invalid(violations: FieldViolation[]): never {
  throw errors.validation('INVALID_ARGUMENT', 'The request is invalid', { violations });
}

/** A proto string as an optional filter: '' means unset; over-long text is refused. */
export function optionalText(value: string, field: string, required = false): string | undefined {
  if (value === '') {
    if (required) invalid([{ field, message: 'is required' }]);
    return undefined;
  }
  if (value.length > MAX_TEXT) invalid([{ field, message: `must be at most ${MAX_TEXT} characters` }]);
  return value;
}

/** The filter of a QueryEntries request; `from` must come before `to`. */
export function queryFilter(r: QueryEntriesRequest): EntryFilter {
  if (r.from !== undefined && r.to !== undefined && r.from >= r.to) {
    invalid([{ field: 'to', message: 'must be after from' }]);
  }
  const filter: EntryFilter = {};
  const texts: ['subjectId' | 'actorId' | 'action' | 'eventType' | 'correlationId', string, string][] = [
    ['subjectId', r.subjectId, 'subject_id'],
    ['actorId', r.actorId, 'actor_id'],
    ['action', r.action, 'action'],
    ['eventType', r.eventType, 'event_type'],
    ['correlationId', r.correlationId, 'correlation_id'],
  ];
  for (const [key, value, field] of texts) {
    const v = optionalText(value, field);
    if (v !== undefined) filter[key] = v;
  }
  if (r.from !== undefined) filter.from = r.from;
  if (r.to !== undefined) filter.to = r.to;
  return filter;
}

/** The period of an accounting: both ends required, from before to, at most six years. */
export function disclosurePeriod(r: AccountingOfDisclosuresRequest, now: Date): { from: Date; to: Date } {
  const violations: FieldViolation[] = [];
  if (r.from === undefined) violations.push({ field: 'from', message: 'is required' });
  if (r.to === undefined) violations.push({ field: 'to', message: 'is required' });
  if (r.from !== undefined && r.to !== undefined) {
    if (r.from >= r.to) violations.push({ field: 'to', message: 'must be after from' });
    if (r.to.getTime() - r.from.getTime() > SIX_YEARS_MS || now.getTime() - r.from.getTime() > SIX_YEARS_MS) {
      violations.push({ field: 'from', message: 'must be within the six years before the request' });
    }
  }
  if (violations.length > 0 || r.from === undefined || r.to === undefined) invalid(violations);
  return { from: r.from, to: r.to };
}
