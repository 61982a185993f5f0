import { createRequire } from 'node:module';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTraceparent, startTelemetry, withSpan, type Telemetry } from '@medspa/observability';
import { chartScenario } from './conformance/chart-scenario.js';
import { kafkaTransport, postgresTailTransport, type TransportUnderTest } from './fixtures/transports.js';
import { createTwoServices, requestMetadata, type TwoServices } from './fixtures/two-services.js';
import { waitFor } from './fixtures/wait.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
// Services load kafkajs instrumented (startTelemetry's ESM hook), which vitest's loader bypasses.
// Patching the module by hand puts its send and process spans (and its header injection) in the
// path, so the test also proves the relay keeps the appending request's traceparent intact.
const kafkajsModule = createRequire(import.meta.url)('kafkajs') as object;
const kafkajsPatch = new KafkaJsInstrumentation().getModuleDefinitions()[0]!;
let services: TwoServices;
let transports: TransportUnderTest[];

beforeAll(async () => {
  telemetry = startTelemetry({
    serviceName: 'messaging-test',
    traceExporter: exporter,
    exportImmediately: true,
    esmLoaderHook: false,
  });
  kafkajsPatch.patch?.(kafkajsModule);
  services = await createTwoServices();
  transports = [await kafkaTransport(services), await postgresTailTransport(services)];
});
afterAll(async () => {
  for (const t of transports ?? []) await t.close();
  await services?.drop();
  kafkajsPatch.unpatch?.(kafkajsModule);
  await telemetry?.shutdown();
});

describe('trace context across the hop', () => {
  it('continues the appending request’s trace in each consumer’s span, over Kafka and the Postgres tail', async () => {
    const s = chartScenario(services);
    for (const t of transports) await t.prepareTopic(s.topic);
    // A command handler's span; the metadata has no traceparent, so the active span's is taken.
    const append = await withSpan('OpenChart', async (span) => {
      await s.chart(0, requestMetadata());
      return span.spanContext();
    });
    const outbox = await services.producer.pool.query<{ headers: Record<string, string> }>(
      `SELECT headers FROM ${services.producer.schema}.outbox WHERE topic = $1`,
      [s.topic],
    );
    expect(outbox.rows[0]?.headers.traceparent).toBe(`00-${append.traceId}-${append.spanId}-01`);

    const insideHandler = new Map<string, string | undefined>();
    for (const t of transports) {
      const groupId = `trace-${t.name}`;
      const { handler } = s.recordingHandler(groupId);
      await t.startConsumer({
        groupId,
        topics: [s.topic],
        handler: async (m, tx) => {
          insideHandler.set(t.name, currentTraceparent());
          await handler(m, tx);
        },
      });
    }
    // Spans end after the handler returns (commit, offset): wait for them rather than for the handler.
    const finished = async (name: string, count: number) =>
      waitFor(name, async () => {
        await telemetry.forceFlush();
        const spans = exporter.getFinishedSpans().filter((span) => span.name === name);
        return spans.length >= count && spans;
      });
    const handled = await finished(`handle ${s.topic}`, 2);
    expect(handled.map((span) => span.attributes['messaging.system']).sort()).toEqual([
      'kafka',
      'postgresql',
    ]);
    for (const span of handled) {
      expect(span.spanContext().traceId).toBe(append.traceId);
      expect(span.parentSpanContext?.spanId).toBe(append.spanId);
    }
    for (const traceparent of insideHandler.values()) expect(traceparent).toContain(append.traceId);
    // The instrumentation was in the path: its consumer span continues the same trace.
    const instrumented = await finished(`process ${s.topic}`, 1);
    for (const span of instrumented) expect(span.spanContext().traceId).toBe(append.traceId);
  });
});
