import { REDACTED } from './redaction.js';

/** An error as it appears on a log line. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  kind?: string;
  reason?: string;
  violations?: unknown;
  cause?: SerializedError;
  [detail: string]: unknown;
}

// Fields of driver and system errors that name what failed without holding data: pg's SQLSTATE
// `code`, constraint and table; Node's errno and syscall. pg's `detail` ("Key (email)=(...)"),
// `where` and `hint` can quote row values, so they are left out.
const SAFE_DETAILS = [
  'code',
  'errno',
  'syscall',
  'constraint',
  'table',
  'column',
  'schema',
  'severity',
] as const;

const MAX_CAUSE_DEPTH = 3;

/**
 * The platform's AppError (libs/errors) promises a PHI-free message and a stable reason. Checked
 * by shape, not instanceof, so that this lib does not load @grpc/grpc-js before instrumentation
 * is installed (a module loaded early is never patched).
 */
function isAppErrorLike(e: Error): e is Error & { kind: string; reason: string; violations?: unknown } {
  const candidate = e as Partial<Record<'kind' | 'reason', unknown>>;
  return e.name === 'AppError' && typeof candidate.kind === 'string' && typeof candidate.reason === 'string';
}

/**
 * A stack without its header, which repeats the message: the frames (files, lines, functions) help
 * debugging and hold no data, the message of an unknown error may (`invalid input syntax: "Jane"`).
 */
function framesOnly(stack: string | undefined, header: string): string | undefined {
  if (stack === undefined) return undefined;
  const firstFrame = stack.search(/^\s+at /m);
  return firstFrame === -1 ? header : `${header}\n${stack.slice(firstFrame)}`;
}

function serialize(e: unknown, depth: number): SerializedError {
  if (!(e instanceof Error)) return { type: typeof e, message: REDACTED };
  const type = e.constructor.name || e.name;
  if (isAppErrorLike(e)) {
    const out: SerializedError = { type, message: e.message, kind: e.kind, reason: e.reason };
    if (e.stack !== undefined) out.stack = e.stack;
    if (Array.isArray(e.violations) && e.violations.length > 0) out.violations = e.violations;
    return withCause(out, e, depth);
  }
  const out: SerializedError = { type, message: REDACTED };
  const stack = framesOnly(e.stack, `${type}: ${REDACTED}`);
  if (stack !== undefined) out.stack = stack;
  const record = e as unknown as Record<string, unknown>;
  for (const key of SAFE_DETAILS) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return withCause(out, e, depth);
}

function withCause(out: SerializedError, e: Error, depth: number): SerializedError {
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serialize(e.cause, depth + 1);
  return out;
}

/**
 * pino serializer for errors. Messages of errors other than AppError are replaced by [REDACTED],
 * since drivers quote data in them; the type, the safe codes and the stack frames are kept.
 */
export function serializeError(e: unknown): SerializedError {
  return serialize(e, 0);
}
