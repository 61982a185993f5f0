import type { ResourceKind } from '../calendar/calendar.js';
import type { Span } from '../shared/spans.js';
import type { BusyTime } from './query.js';

/** One resource's held time, merged and sorted, as two parallel arrays for binary search. */
export class BusyTimeline {
  constructor(
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
  ) {}

  /** The end of the held span overlapping [start, end), or -1 when the resource is free. */
  clashEnd(start: number, end: number): number {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > start) hi = mid;
      else lo = mid + 1;
    }
    return lo < ends.length && this.starts[lo]! < end ? ends[lo]! : -1;
  }
}

const NOTHING_HELD = new BusyTimeline(new Float64Array(0), new Float64Array(0));

/** Merges a flat [start, end, start, end, …] list into a timeline, sorting only if needed. */
function toTimeline(flat: number[]): BusyTimeline {
  const n = flat.length / 2;
  let order: number[] | null = null;
  for (let i = 1; i < n; i++) {
    if (flat[2 * i]! < flat[2 * i - 2]!) {
      // The calendar read model usually returns holds in order; only a shuffled list pays the sort.
      order = new Array<number>(n);
      for (let k = 0; k < n; k++) order[k] = k;
      order.sort((a, b) => flat[2 * a]! - flat[2 * b]!);
      break;
    }
  }
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = order ? order[i]! : i;
    const s = flat[2 * k]!;
    const e = flat[2 * k + 1]!;
    if (e <= s) continue;
    if (m > 0 && s <= ends[m - 1]!) {
      if (e > ends[m - 1]!) ends[m - 1] = e;
    } else {
      starts[m] = s;
      ends[m++] = e;
    }
  }
  return new BusyTimeline(starts.subarray(0, m), ends.subarray(0, m));
}

/** Held time per resource, grouped once; each resource's timeline is built when first asked. */
export class BusyIndex {
  private readonly flat: Record<ResourceKind, Map<string, number[]>> = {
    provider: new Map(),
    room: new Map(),
    device: new Map(),
  };
  private readonly built = new Map<string, BusyTimeline>();

  constructor(busy: readonly BusyTime[], window: Span) {
    for (const b of busy) {
      // Holds outside the searched days cannot matter; skipping them keeps the work small.
      if (b.endMs <= window.start || b.startMs >= window.end) continue;
      const byId = this.flat[b.resourceKind];
      const list = byId.get(b.resourceId);
      if (list) list.push(b.startMs, b.endMs);
      else byId.set(b.resourceId, [b.startMs, b.endMs]);
    }
  }

  /** A resource's held time. */
  of(kind: ResourceKind, id: string): BusyTimeline {
    const key = `${kind}:${id}`;
    let timeline = this.built.get(key);
    if (!timeline) {
      const flat = this.flat[kind].get(id);
      timeline = flat ? toTimeline(flat) : NOTHING_HELD;
      this.built.set(key, timeline);
    }
    return timeline;
  }
}

/** A room or device that can take a hold, with its held time. */
export interface Candidate {
  id: string;
  busy: BusyTimeline;
}

/**
 * The first candidate (in the given order) free for all of [start, end), or else the earliest
 * instant at which one of them frees up, so the caller can skip ahead instead of stepping.
 */
export function firstFree(candidates: readonly Candidate[], start: number, end: number): string | number {
  let freesAt = Infinity;
  for (const c of candidates) {
    const clash = c.busy.clashEnd(start, end);
    if (clash < 0) return c.id;
    if (clash < freesAt) freesAt = clash;
  }
  return freesAt;
}
