import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Paths of probes and scrapes: traced, they would drown real requests. */
export const UNTRACED_HTTP_PATHS: readonly string[] = [
  '/healthz',
  '/readyz',
  '/livez',
  '/health',
  '/metrics',
];

const isProbe = (request: IncomingMessage): boolean => {
  const path = (request.url ?? '').split('?')[0] ?? '';
  return UNTRACED_HTTP_PATHS.includes(path);
};

/**
 * The instrumentations every service runs, configured not to record PHI: no headers or bodies,
 * no SQL bind values, no gRPC metadata. Whatever slips through is scrubbed again at export.
 */
export function platformInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: isProbe,
      headersToSpanAttributes: {
        client: { requestHeaders: [], responseHeaders: [] },
        server: { requestHeaders: [], responseHeaders: [] },
      },
    }),
    new GrpcInstrumentation({
      // The matcher sees the method name only: these are grpc.health.v1 and reflection.
      ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'],
    }),
    new PgInstrumentation({
      enhancedDatabaseReporting: false,
      // Only queries inside a request, a message or a withSpan(): the log tailers poll every few
      // hundred milliseconds and would otherwise make a root trace per poll.
      requireParentSpan: true,
      ignoreConnectSpans: true,
      addSqlCommenterCommentToQueries: false,
      enableTraceContextPropagation: false,
    }),
    new KafkaJsInstrumentation({}),
  ];
}
