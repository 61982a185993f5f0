import { dutySpans } from '../provider-schedule/duty.js';
import type { Span } from '../shared/spans.js';
import { compileWeeklyHours, weeklySpans } from '../shared/weekly-hours.js';
import type { BookingTerms } from '../treatment/treatment.js';
import type { AvailabilityQuery, ProviderForSearch } from './query.js';

/** A closed range [lo, hi] of instants at which a treatment may start. */
export interface StartRange {
  lo: number;
  hi: number;
}

const MIN = 60_000;

/** Closed ranges common to two sorted lists of disjoint closed ranges. */
export function intersectRanges(a: readonly StartRange[], b: readonly StartRange[]): StartRange[] {
  const out: StartRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    if (lo <= hi) out.push({ lo, hi });
    if (x.hi < y.hi) i++;
    else j++;
  }
  return out;
}

/** Starts whose treatment [s, s + duration) lies within one opening span. */
export function openingStarts(
  q: AvailabilityQuery,
  zone: string,
  firstDay: number,
  lastDay: number,
): StartRange[] {
  const durationMs = q.treatment.durationMinutes * MIN;
  return weeklySpans(zone, compileWeeklyHours(q.location.openingHours), firstDay, lastDay)
    .map((o: Span) => ({ lo: o.start, hi: o.end - durationMs }))
    .filter((r) => r.lo <= r.hi);
}

/** Starts whose held time [s - before, s + duration + after) lies within one duty span. */
export function dutyStarts(
  provider: ProviderForSearch,
  terms: BookingTerms,
  zone: string,
  firstDay: number,
  lastDay: number,
): StartRange[] {
  if (!provider.schedule) return [];
  const before = terms.bufferBeforeMinutes * MIN;
  const tail = (terms.durationMinutes + terms.bufferAfterMinutes) * MIN;
  return dutySpans(zone, provider.schedule, provider.timeOff, firstDay, lastDay)
    .map((d) => ({ lo: d.start + before, hi: d.end - tail }))
    .filter((r) => r.lo <= r.hi);
}

/** Whether a provider may perform the treatment at all (qualification and role). */
export function mayPerform(provider: ProviderForSearch, terms: BookingTerms): boolean {
  const qualified =
    terms.requiredQualification === null || provider.qualifications.includes(terms.requiredQualification);
  const roleOk =
    terms.eligibleRoles.length === 0 || provider.roles.some((r) => terms.eligibleRoles.includes(r));
  return qualified && roleOk;
}
