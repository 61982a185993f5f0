import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 60_000,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
afterAll(() => metrics.disable());

describe('createMetrics', () => {
  it('creates counters, histograms and gauges read at collection time', async () => {
    const m = createMetrics('@medspa/projections');
    m.counter('events_applied_total').add(3, { projection: 'calendar' });
    m.histogram('batch_duration_seconds').record(0.25);
    m.gauge('checkpoint_position').record(42);
    let lag = 1.5;
    m.observableGauge('reader_snapshot_wait_seconds', () => [
      { value: lag, attributes: { reader: 'relay' } },
    ]);
    lag = 7;

    const { resourceMetrics } = await reader.collect();
    const points = new Map(
      resourceMetrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .map((metric) => [metric.descriptor.name, metric.dataPoints[0]]),
    );
    expect(points.get('events_applied_total')).toMatchObject({
      value: 3,
      attributes: { projection: 'calendar' },
    });
    expect(points.get('batch_duration_seconds')).toMatchObject({ value: { count: 1, sum: 0.25 } });
    expect(points.get('checkpoint_position')).toMatchObject({ value: 42 });
    expect(points.get('reader_snapshot_wait_seconds')).toMatchObject({
      value: 7,
      attributes: { reader: 'relay' },
    });
  });
});
