import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { type Telemetry, startTelemetry } from './telemetry.js';
import { captureLines } from './test-support.js';
import { currentTraceparent, extractTraceContext, injectTraceContext, withSpan } from './trace-context.js';

const CANARY = 'Canary-Jane-0xBEEF';
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({
    serviceName: 'scheduling',
    traceExporter: exporter,
    exportImmediately: true,
    // Vitest loads modules through its own runner; the loader hook is for real services.
    esmLoaderHook: false,
  });
});
afterAll(() => telemetry.shutdown());
beforeEach(() => exporter.reset());

// Spans reach the exporter asynchronously (the resource's detected attributes settle first).
async function finishedSpans(): Promise<ReadableSpan[]> {
  await telemetry.forceFlush();
  return exporter.getFinishedSpans();
}

describe('startTelemetry', () => {
  it('returns the running instance when called twice', () => {
    expect(startTelemetry({ serviceName: 'other', esmLoaderHook: false })).toBe(telemetry);
  });

  it('stamps trace_id and span_id of the active span on every log line', async () => {
    const capture = captureLines();
    const log = createLogger({ service: 'scheduling', destination: capture.stream });
    log.info('before');
    await withSpan('BookAppointment', async () => {
      log.info('inside');
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.child({ requestId: 'req-1' }).info('after an await, from a child');
    });
    const [before, inside, after] = capture.records();
    const [span] = await finishedSpans();
    expect(span?.name).toBe('BookAppointment');
    expect(before).not.toHaveProperty('trace_id');
    for (const line of [inside, after]) {
      expect(line).toMatchObject({
        trace_id: span?.spanContext().traceId,
        span_id: span?.spanContext().spanId,
      });
    }
    expect(after).toMatchObject({ requestId: 'req-1', trace_flags: '01' });
  });

  it('continues a trace carried in message headers, as a consumer does', async () => {
    const headers = await withSpan(
      'publish',
      () => injectTraceContext<Record<string, string>>({}),
      {},
      { kind: SpanKind.PRODUCER },
    );
    const seen = await withSpan(
      'consume',
      () => currentTraceparent(),
      {},
      {
        kind: SpanKind.CONSUMER,
        parent: extractTraceContext(headers),
      },
    );
    const [publish, consume] = await finishedSpans();
    expect(consume?.spanContext().traceId).toBe(publish?.spanContext().traceId);
    expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(seen).toBe(`00-${consume?.spanContext().traceId}-${consume?.spanContext().spanId}-01`);
  });

  it('marks a failed span with the error type only, and scrubs PHI before export', async () => {
    const failing = withSpan('UpdatePatient', (span) => {
      span.setAttribute('url.full', `https://gw/patients?email=${CANARY}`);
      span.setAttribute('db.statement', `select * from patients where name = '${CANARY}'`);
      span.setAttribute('appointment.id', 'appt-42');
      span.recordException(new Error(CANARY));
      span.setStatus({ code: SpanStatusCode.ERROR, message: CANARY });
      throw Object.assign(new Error(CANARY), { reason: 'PATIENT_LOCKED' });
    });
    await expect(failing).rejects.toThrow(CANARY);
    const [span] = await finishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      'url.full': 'https://gw/patients',
      'appointment.id': 'appt-42',
      'error.type': 'PATIENT_LOCKED',
    });
    expect(span?.events.map((e) => e.attributes)).toEqual([{ 'exception.type': 'Error' }]);
    expect(JSON.stringify({ a: span?.attributes, e: span?.events, s: span?.status })).not.toContain(CANARY);
  });

  it('records spans from the global tracer through the same pipeline', async () => {
    trace.getTracer('test').startSpan('manual').end();
    expect((await finishedSpans()).map((s) => s.name)).toEqual(['manual']);
  });
});
