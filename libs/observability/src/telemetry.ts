import { register } from 'node:module';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { platformInstrumentations } from './instrumentations.js';
import { scrubbingExporter } from './span-scrubber.js';
import { traceContextPropagator } from './trace-context.js';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /** Serve Prometheus `/metrics` on this port; no metrics are collected without it. */
  metricsPort?: number;
  /** Where spans go; wins over `otlpEndpoint`. Tests pass an InMemorySpanExporter. */
  traceExporter?: SpanExporter;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); `/v1/traces` is appended. */
  otlpEndpoint?: string;
  /** Share of new traces sampled, 0..1; a caller's sampling decision is always followed. */
  sampleRatio?: number;
  /** Export each span as it ends instead of in batches (tests, short CLIs). */
  exportImmediately?: boolean;
  /**
   * Register the ESM loader hook so that `import pg from 'pg'` and friends are instrumented
   * (require hooks alone see only CommonJS). Modules imported before this call stay unpatched.
   */
  esmLoaderHook?: boolean;
}

export interface Telemetry {
  /** Settles once the metrics endpoint listens (or at once without one); rejects if it cannot. */
  ready: Promise<void>;
  /** Exports the spans that have ended so far. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the SDK and unpatches the instrumented modules. */
  shutdown(): Promise<void>;
}

let running: Telemetry | undefined;
let esmHookRegistered = false;

function traceExporterFor(options: TelemetryOptions): SpanExporter | undefined {
  if (options.traceExporter !== undefined) return options.traceExporter;
  if (options.otlpEndpoint === undefined) return undefined;
  return new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` });
}

function spanProcessorFor(exporter: SpanExporter | undefined, options: TelemetryOptions): SpanProcessor {
  // Without an exporter spans are still created, so that trace ids reach logs and event metadata
  // and are passed on to peers; they are simply not sent anywhere.
  if (exporter === undefined) return new NoopSpanProcessor();
  const scrubbed = scrubbingExporter(exporter);
  return options.exportImmediately === true
    ? new SimpleSpanProcessor(scrubbed)
    : new BatchSpanProcessor(scrubbed);
}

function metricsEndpoint(port: number | undefined): { reader?: PrometheusExporter; ready: Promise<void> } {
  if (port === undefined) return { ready: Promise.resolve() };
  let settle: (err: Error | void) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    settle = (err) => (err instanceof Error ? reject(err) : resolve());
  });
  const reader = new PrometheusExporter({ port, endpoint: '/metrics' }, (err) => settle(err));
  // A caller that does not await `ready` must not be crashed by an unhandled rejection.
  ready.catch(() => undefined);
  return { reader, ready };
}

/**
 * Starts OpenTelemetry for this process: traces over HTTP, gRPC, pg and kafkajs with W3C trace
 * context, spans scrubbed of PHI before export, and Prometheus metrics when `metricsPort` is set.
 * Call it first in main, then import the rest of the service, so the modules load instrumented.
 * A second call returns the running instance.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running !== undefined) return running;
  if (options.esmLoaderHook !== false && !esmHookRegistered) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    esmHookRegistered = true;
  }
  const exporter = traceExporterFor(options);
  const processor = spanProcessorFor(exporter, options);
  const { reader, ready } = metricsEndpoint(options.metricsPort);
  const instrumentations: Instrumentation[] = platformInstrumentations();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
    serviceName: options.serviceName,
    spanProcessors: [processor],
    // Explicit empty lists: left undefined, the SDK would read OTEL_* and start OTLP exporters.
    metricReaders: reader === undefined ? [] : [reader],
    logRecordProcessors: [],
    // Without an exporter a recorded span would go nowhere: new traces are then not recorded (a
    // non-recording span still has ids, for logs, event metadata and peers), which spares every
    // request its spans' attributes and timings. A caller's sampled trace is still followed.
    sampler: new ParentBasedSampler({
      root:
        exporter === undefined
          ? new AlwaysOffSampler()
          : new TraceIdRatioBasedSampler(options.sampleRatio ?? 1),
    }),
    textMapPropagator: traceContextPropagator,
    instrumentations,
  });
  sdk.start();
  const telemetry: Telemetry = {
    ready,
    forceFlush: () => processor.forceFlush(),
    shutdown: async () => {
      if (running !== telemetry) return;
      running = undefined;
      for (const instrumentation of instrumentations) instrumentation.disable();
      await sdk.shutdown();
      // Unregister the globals so that a later startTelemetry (tests) can install fresh ones.
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
  running = telemetry;
  return telemetry;
}
