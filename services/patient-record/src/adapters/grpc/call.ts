import type { CallContext } from '@medspa/grpc';
import type { RequestContext } from '../../app/request-context.js';
import { errors } from '@medspa/errors';

/** The app layer's view of a gRPC call: the verified principal, never a tenant from the request. */
export const requestContextOf = (call: CallContext): RequestContext => ({
  principal: call.principal,
  requestId: call.requestId,
  traceparent: call.traceparent,
});

/** A required message field that the caller left out. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) {
    throw errors.validation('MISSING_FIELD', `${field} is required`, {
      violations: [{ field, message: 'is required' }],
    });
  }
  return value;
}

/** An optional proto3 string: empty means absent. */
export const optional = (value: string): string | undefined => (value === '' ? undefined : value);
