import type { Attributes, SpanStatus } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';

// Attributes the instrumentations may set that can carry PHI or credentials: SQL text (in case a
// literal was inlined), bind values, request/response headers and gRPC metadata, message bodies.
const DROPPED_PREFIXES = [
  'db.statement',
  'db.query.text',
  'db.query.parameter.',
  'db.postgresql.values',
  'http.request.header.',
  'http.response.header.',
  'rpc.grpc.request.metadata.',
  'rpc.grpc.response.metadata.',
  'messaging.message.body',
  'url.query',
];

// Attributes holding a URL or target whose query string (`?email=...`) may be PHI.
const URL_KEYS = new Set(['url.full', 'http.url', 'http.target', 'url.original']);

const withoutQuery = (url: string): string => url.replace(/[?#].*$/, '');

/** Span attributes with PHI-prone keys dropped and query strings cut from URLs. */
export function scrubAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    out[key] = URL_KEYS.has(key) && typeof value === 'string' ? withoutQuery(value) : value;
  }
  return out;
}

// `recordException` stores the message and stack, which for a driver error can quote row values;
// only the exception's type survives.
function scrubEvent(event: TimedEvent): TimedEvent {
  if (event.name !== 'exception') return event;
  const type = event.attributes?.['exception.type'];
  return { ...event, attributes: type === undefined ? {} : { 'exception.type': type } };
}

// Instrumentations copy the error message into the status; the code is enough.
const scrubStatus = (status: SpanStatus): SpanStatus => ({ code: status.code });

/** A copy of a finished span as it may leave the process. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: scrubStatus(span.status),
    attributes: scrubAttributes(span.attributes),
    links: span.links.map((link) => ({ ...link, attributes: scrubAttributes(link.attributes ?? {}) })),
    events: span.events.map(scrubEvent),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Wraps an exporter so that every span is scrubbed on its way out. Scrubbing at export rather than
 * in hooks catches attributes set by any instrumentation, including ones added later.
 */
export function scrubbingExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
      inner.export(spans.map(scrubSpan), done),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
