/** A half-open stretch of time [start, end) in epoch ms. */
export interface Span {
  start: number;
  end: number;
}

/** Spans sorted by start, overlapping or touching ones merged: the shape every search expects. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end });
    }
  }
  return out;
}

/** `from` minus `cut`; both merged (sorted, disjoint). */
export function subtractSpans(from: readonly Span[], cut: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const s of from) {
    let start = s.start;
    while (j < cut.length && cut[j]!.end <= start) j++;
    let k = j;
    while (k < cut.length && cut[k]!.start < s.end) {
      const c = cut[k]!;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      k++;
    }
    if (start < s.end) out.push({ start, end: s.end });
  }
  return out;
}

/** Index of the first merged span that ends after `ms`, by binary search; `spans.length` if none. */
export function firstEndingAfter(spans: readonly Span[], ms: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.end > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The merged span overlapping [start, end), if any. */
export function overlapping(spans: readonly Span[], start: number, end: number): Span | undefined {
  const s = spans[firstEndingAfter(spans, start)];
  return s && s.start < end ? s : undefined;
}

/** True when one merged span contains all of [start, end). */
export function covers(spans: readonly Span[], start: number, end: number): boolean {
  const s = spans[firstEndingAfter(spans, start)];
  return s !== undefined && s.start <= start && s.end >= end;
}
