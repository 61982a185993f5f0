import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Level,
  type Logger,
  type LoggerOptions as PinoOptions,
  pino,
} from 'pino';
import { serializeError } from './error-serializer.js';
import { redactKeys } from './redact-walk.js';
import { PHI_KEYS, redactionKeySet } from './redaction.js';

export type { Logger } from 'pino';

export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
  /** Keys to redact on top of PHI_KEYS. */
  extraRedactKeys?: readonly string[];
}

/**
 * `trace_id`, `span_id` and `trace_flags` of the span active when a line is written. Reading the
 * span at write time (a mixin) rather than binding it into a child logger means a logger created
 * outside any request still stamps the right ids inside one, and no line carries stale ids.
 */
export function traceFields(): Record<string, string> {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * pino uses an error's message as the line's `msg` when none is given (`log.error(err)`), which
 * would print an unknown error's message unredacted; give it the serialized (safe) one instead.
 */
const safeDefaultMessage: NonNullable<NonNullable<PinoOptions['hooks']>['logMethod']> = function (
  args,
  method,
) {
  const [first, second] = args as unknown[];
  const err =
    first instanceof Error ? first : isRecord(first) && first.err instanceof Error ? first.err : undefined;
  if (err !== undefined && typeof second !== 'string') {
    return method.apply(this, [first, serializeError(err).message] as Parameters<typeof method>);
  }
  return method.apply(this, args);
};

/**
 * A JSON logger for one service: `service` on every line, PHI and credentials redacted by key at
 * any depth up to 8, errors serialized without their (possibly PHI-bearing) messages, trace ids
 * from the active span. Never put PHI in the message string itself: redaction sees keys, not text.
 */
export function createLogger(options: LoggerOptions): Logger {
  const keys = redactionKeySet([...PHI_KEYS, ...(options.extraRedactKeys ?? [])]);
  const redact = (object: Record<string, unknown>): Record<string, unknown> =>
    redactKeys(object, keys) as Record<string, unknown>;
  const pinoOptions: PinoOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: redact, bindings: redact },
    hooks: { logMethod: safeDefaultMessage },
    // The walk in formatters.log has already serialized errors; pino's own would re-read them.
    serializers: { err: (value: unknown) => value },
    mixin: traceFields,
  };
  const logger =
    options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
  redactChildBindings(logger, redact);
  return logger;
}

/**
 * pino formats child bindings with no hook of ours (its `bindings` formatter covers the root only),
 * so `child` is wrapped to redact them. Children inherit the wrapper through the prototype chain,
 * and it calls pino's own `child` with the real receiver, so grandchildren keep their parents' keys.
 */
function redactChildBindings(
  logger: Logger,
  redact: (o: Record<string, unknown>) => Record<string, unknown>,
): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the real receiver
  const pinoChild = logger.child as unknown as (
    this: Logger,
    bindings: Bindings,
    options?: ChildLoggerOptions,
  ) => Logger;
  function child(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions): Logger {
    return pinoChild.call(this, redact(bindings), childOptions);
  }
  Object.defineProperty(logger, 'child', { value: child, writable: true, configurable: true });
}

/** A child logger for one request or message: every line carries its `requestId`. */
export function requestLogger(
  logger: Logger,
  requestId: string,
  bindings: Record<string, string> = {},
): Logger {
  return logger.child({ requestId, ...bindings });
}
