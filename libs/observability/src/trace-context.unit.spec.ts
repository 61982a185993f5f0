import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { currentTraceparent, extractTraceContext, injectTraceContext } from './trace-context.js';

const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};
const active = trace.setSpanContext(ROOT_CONTEXT, spanContext);

describe('trace context in headers', () => {
  it('round-trips traceparent through a plain headers record', () => {
    const headers = injectTraceContext<Record<string, string>>({ 'x-event-id': 'e-1' }, active);
    expect(headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(headers['x-event-id']).toBe('e-1');
    const extracted = trace.getSpanContext(extractTraceContext(headers, ROOT_CONTEXT));
    expect(extracted).toMatchObject({ ...spanContext, isRemote: true });
  });

  it('reads Kafka-style Buffer headers and mixed-case keys', () => {
    const kafkaHeaders = { traceparent: Buffer.from(currentTraceparent(active) ?? '') };
    expect(trace.getSpanContext(extractTraceContext(kafkaHeaders, ROOT_CONTEXT))?.traceId).toBe(
      spanContext.traceId,
    );
    const httpLike = { TraceParent: [currentTraceparent(active) ?? ''] };
    expect(trace.getSpanContext(extractTraceContext(httpLike, ROOT_CONTEXT))?.spanId).toBe(
      spanContext.spanId,
    );
  });

  it('gives nothing outside a span and ignores malformed or missing headers', () => {
    expect(currentTraceparent(ROOT_CONTEXT)).toBeUndefined();
    expect(
      trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }, ROOT_CONTEXT)),
    ).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({}, ROOT_CONTEXT))).toBeUndefined();
  });

  it('does not propagate baggage, which could carry anything a caller put in it', () => {
    const headers = injectTraceContext<Record<string, string>>({}, active);
    expect(Object.keys(headers).sort()).toEqual(['traceparent']);
  });
});
