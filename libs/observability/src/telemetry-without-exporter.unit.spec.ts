import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { type Telemetry, startTelemetry } from './telemetry.js';
import { captureLines } from './test-support.js';
import { currentTraceparent, extractTraceContext, withSpan } from './trace-context.js';

// `make run` and tests have no collector: spans are not recorded, yet every request keeps its ids.
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'scheduling', esmLoaderHook: false });
});
afterAll(() => telemetry.shutdown());

describe('telemetry without an exporter', () => {
  it('does not record new traces, but logs and passes on their ids', async () => {
    const capture = captureLines();
    const log = createLogger({ service: 'scheduling', destination: capture.stream });
    const seen = await withSpan('GetDayCalendar', () => {
      log.info('inside');
      return { recording: trace.getActiveSpan()?.isRecording(), traceparent: currentTraceparent() };
    });
    expect(seen.recording).toBe(false);
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const [line] = capture.records();
    expect(line?.trace_id).toBe(seen.traceparent?.split('-')[1]);
  });

  it("follows a caller's sampled trace", async () => {
    const sampled = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const recording = await withSpan(
      'BookAppointment',
      () => trace.getActiveSpan()?.isRecording(),
      {},
      {
        parent: extractTraceContext({ traceparent: sampled }),
      },
    );
    expect(recording).toBe(true);
  });
});
