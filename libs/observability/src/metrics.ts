import {
  type Attributes,
  type Counter,
  type Gauge,
  type Histogram,
  type MetricOptions,
  type ObservableGauge,
  type ObservableResult,
  type UpDownCounter,
  metrics,
} from '@opentelemetry/api';

/** One reading of an observable gauge; attributes must be low-cardinality and free of PHI. */
export interface Observation {
  value: number;
  attributes?: Attributes;
}

/** Creates a service's instruments; names follow Prometheus style (`eventstore_reader_lag_seconds`). */
export interface Metrics {
  counter(name: string, options?: MetricOptions): Counter;
  upDownCounter(name: string, options?: MetricOptions): UpDownCounter;
  histogram(name: string, options?: MetricOptions): Histogram;
  /** A gauge set by the code (`gauge.record(value, attributes)`). */
  gauge(name: string, options?: MetricOptions): Gauge;
  /** A gauge read at scrape time, such as how long a log reader has waited on a snapshot. */
  observableGauge(
    name: string,
    observe: () => number | readonly Observation[],
    options?: MetricOptions,
  ): ObservableGauge;
}

/**
 * Instruments from the global meter provider. Call after startTelemetry: the metrics API has no
 * proxy, so instruments made before it are no-ops for good. Without telemetry they are no-ops,
 * which keeps unit tests and CLIs free of setup.
 */
export function createMetrics(meterName: string, version?: string): Metrics {
  const meter = metrics.getMeter(meterName, version);
  return {
    counter: (name, options) => meter.createCounter(name, options),
    upDownCounter: (name, options) => meter.createUpDownCounter(name, options),
    histogram: (name, options) => meter.createHistogram(name, options),
    gauge: (name, options) => meter.createGauge(name, options),
    observableGauge: (name, observe, options) => {
      const gauge = meter.createObservableGauge(name, options);
      gauge.addCallback((result: ObservableResult) => {
        const reading = observe();
        if (typeof reading === 'number') result.observe(reading);
        else for (const { value, attributes } of reading) result.observe(value, attributes);
      });
      return gauge;
    },
  };
}
