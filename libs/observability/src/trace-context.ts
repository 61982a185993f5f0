import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  context,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Always W3C trace context, and deliberately not baggage: baggage is free-form and would carry
// whatever a caller put in it (possibly PHI) into every downstream log and message. The helpers
// below use it directly, so they behave the same before startTelemetry (tests, CLIs).
/** The one propagator of the platform: W3C `traceparent`/`tracestate`, no baggage. */
export const traceContextPropagator = new W3CTraceContextPropagator();

/** A header value as Kafka (Buffer, string or a list), gRPC metadata or HTTP deliver it. */
export type CarrierValue = string | Buffer | readonly (string | Buffer)[] | undefined;

const firstText = (value: CarrierValue): string | undefined => {
  const first = Array.isArray(value)
    ? (value as readonly (string | Buffer)[])[0]
    : (value as string | Buffer | undefined);
  return first === undefined ? undefined : first.toString();
};

const carrierGetter: TextMapGetter<Readonly<Record<string, CarrierValue>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const exact = carrier[key];
    if (exact !== undefined) return firstText(exact);
    const match = Object.keys(carrier).find((k) => k.toLowerCase() === key);
    return match === undefined ? undefined : firstText(carrier[match]);
  },
};

/** Writes `traceparent` (and `tracestate`) of `ctx` into a headers record; returns the record. */
export function injectTraceContext<T extends Record<string, unknown>>(
  carrier: T,
  ctx: Context = context.active(),
): T {
  traceContextPropagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/** The context carried by Kafka headers, gRPC metadata or HTTP headers, as a parent for new spans. */
export function extractTraceContext(
  carrier: Readonly<Record<string, CarrierValue>>,
  base: Context = context.active(),
): Context {
  return traceContextPropagator.extract(base, carrier, carrierGetter);
}

/** The W3C `traceparent` of the active span, for event metadata; undefined outside a span. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  traceContextPropagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

export interface WithSpanOptions {
  kind?: SpanKind;
  /** The parent, such as `extractTraceContext(message.headers)`; defaults to the active context. */
  parent?: Context;
}

const tracer = () => trace.getTracer('@medspa/observability');

/** A short, data-free label for a failure: an AppError's reason, otherwise the error's type. */
function errorType(e: unknown): string {
  if (e instanceof Error) {
    const reason = (e as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : e.constructor.name || e.name;
  }
  return typeof e;
}

/**
 * Runs `fn` inside a new active span and ends it. A failure marks the span as an error with the
 * error's type only: `recordException` would copy the message and stack, which may hold PHI.
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  attributes: Attributes = {},
  options: WithSpanOptions = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { attributes, kind: options.kind ?? SpanKind.INTERNAL },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        span.setAttribute('error.type', errorType(e));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };
