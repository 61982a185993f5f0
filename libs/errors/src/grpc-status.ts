import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AppError, type ErrorKind, type FieldViolation, toAppError } from './app-error.js';

const grpcCodeByKind: Record<ErrorKind, status> = {
  validation: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  conflict: status.ABORTED,
  precondition: status.FAILED_PRECONDITION,
  rate_limited: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  timeout: status.DEADLINE_EXCEEDED,
  internal: status.INTERNAL,
};

const kindByGrpcCode = new Map<status, ErrorKind>(
  Object.entries(grpcCodeByKind).map(([kind, code]) => [code, kind as ErrorKind]),
);
kindByGrpcCode.set(status.ALREADY_EXISTS, 'conflict');
kindByGrpcCode.set(status.OUT_OF_RANGE, 'validation');
kindByGrpcCode.set(status.CANCELLED, 'unavailable');

/** Metadata keys that carry the machine-readable part of an error across a gRPC hop. */
export const ERROR_REASON_KEY = 'x-error-reason';
export const ERROR_VIOLATIONS_KEY = 'x-error-violations-bin';

export const grpcCodeFor = (kind: ErrorKind): status => grpcCodeByKind[kind];

/** An error as a grpc-js ServiceError (code, details, reason and violations in trailing metadata). */
export function toGrpcError(e: unknown): Partial<ServiceError> {
  const err = toAppError(e);
  const metadata = new Metadata();
  metadata.set(ERROR_REASON_KEY, err.reason);
  if (err.violations.length > 0) {
    metadata.set(ERROR_VIOLATIONS_KEY, Buffer.from(JSON.stringify(err.violations)));
  }
  return { code: grpcCodeByKind[err.kind], details: err.message, metadata };
}

/** A gRPC client error back into an AppError, keeping the reason and field violations. */
export function fromGrpcError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const se = e as Partial<ServiceError>;
  if (typeof se?.code !== 'number') return toAppError(e);
  const kind = kindByGrpcCode.get(se.code) ?? 'internal';
  const reason = String(
    se.metadata?.get(ERROR_REASON_KEY)[0] ?? (kind === 'internal' ? 'INTERNAL' : 'UPSTREAM_ERROR'),
  );
  const raw = se.metadata?.get(ERROR_VIOLATIONS_KEY)[0];
  let violations: FieldViolation[] = [];
  if (Buffer.isBuffer(raw)) {
    try {
      violations = JSON.parse(raw.toString('utf8')) as FieldViolation[];
    } catch {
      violations = [];
    }
  }
  const message = kind === 'internal' ? 'An internal error occurred' : (se.details ?? 'Upstream error');
  return new AppError(kind, reason, message, { violations, cause: e });
}
