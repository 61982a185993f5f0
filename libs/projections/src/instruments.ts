import { createMetrics, type Metrics, type Observation } from '@medspa/observability';

/** What each projector reports about itself, read by the gauges at scrape time and by `status()`. */
export interface ProjectorReadings {
  projection: string;
  heldBackSeconds: () => number;
  consecutiveFailures: () => number;
}

export interface ProjectionInstruments {
  applied(projection: string, events: number): void;
  failed(projection: string): void;
  /** Seconds from an event's recording to its read-model commit: the projection's lag. */
  delay(projection: string, seconds: number): void;
  /** Adds a runner's projectors to the gauges; returns the function that removes them. */
  observe(readings: () => readonly ProjectorReadings[]): () => void;
}

// One set of instruments per Metrics: runners come and go (restarts, tests with several replicas in
// one process) while an instrument, once created, cannot be removed; its callback reads live runners.
const byMetrics = new WeakMap<Metrics, ProjectionInstruments>();
let defaultMetrics: Metrics | undefined;

/**
 * The runner's metrics. `projection_held_back_seconds` is the stall gauge: how long the projection
 * has waited, without progress, on a transaction still open somewhere in the cluster.
 */
export function projectionInstruments(metrics?: Metrics): ProjectionInstruments {
  const m = metrics ?? (defaultMetrics ??= createMetrics('@medspa/projections'));
  let instruments = byMetrics.get(m);
  if (instruments === undefined) {
    instruments = create(m);
    byMetrics.set(m, instruments);
  }
  return instruments;
}

function create(metrics: Metrics): ProjectionInstruments {
  const sources = new Set<() => readonly ProjectorReadings[]>();
  // Two replicas of one projection in one process report once: the worse of the two.
  const worst = (read: (r: ProjectorReadings) => number): Observation[] => {
    const values = new Map<string, number>();
    for (const source of sources)
      for (const r of source()) values.set(r.projection, Math.max(values.get(r.projection) ?? 0, read(r)));
    return [...values].map(([projection, value]) => ({ value, attributes: { projection } }));
  };
  const applied = metrics.counter('projection_events_applied_total', {
    description: 'Events applied to read models (committed with their checkpoint)',
  });
  const failures = metrics.counter('projection_failures_total', {
    description: 'Batches rolled back because the projection or its database failed; retried with backoff',
  });
  const delay = metrics.histogram('projection_event_delay_seconds', {
    description: 'From an event being recorded to its read-model update committing',
    unit: 's',
  });
  metrics.observableGauge('projection_held_back_seconds', () => worst((r) => r.heldBackSeconds()), {
    description: 'How long committed events have been held back by an older open transaction',
    unit: 's',
  });
  metrics.observableGauge('projection_consecutive_failures', () => worst((r) => r.consecutiveFailures()), {
    description: 'Failed attempts in a row; above zero the projection is retrying with backoff',
  });
  return {
    applied: (projection, events) => applied.add(events, { projection }),
    failed: (projection) => failures.add(1, { projection }),
    delay: (projection, seconds) => delay.record(seconds, { projection }),
    observe: (readings) => {
      sources.add(readings);
      return () => sources.delete(readings);
    },
  };
}
