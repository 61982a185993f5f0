import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { AppError } from './index.js';
import { errors, fromGrpcError, toGrpcError, toProblem, validationFromIssues } from './index.js';

describe('error taxonomy', () => {
  it('maps each kind to one gRPC code and one HTTP status', () => {
    const cases: [AppError, status, number][] = [
      [errors.validation('BAD', 'bad'), status.INVALID_ARGUMENT, 400],
      [errors.unauthenticated('NO_TOKEN', 'x'), status.UNAUTHENTICATED, 401],
      [errors.forbidden('DENIED', 'x'), status.PERMISSION_DENIED, 403],
      [errors.notFound('GONE', 'x'), status.NOT_FOUND, 404],
      [errors.conflict('RACE', 'x'), status.ABORTED, 409],
      [errors.precondition('LOCKED', 'x'), status.FAILED_PRECONDITION, 422],
      [errors.rateLimited('SLOW', 'x'), status.RESOURCE_EXHAUSTED, 429],
      [errors.unavailable('DOWN', 'x'), status.UNAVAILABLE, 503],
    ];
    for (const [err, code, http] of cases) {
      expect(toGrpcError(err).code).toBe(code);
      expect(toProblem(err).status).toBe(http);
    }
  });

  it('round-trips reason and violations across a gRPC hop', () => {
    const err = errors.validation('INVALID_ARGUMENT', 'The request is invalid', {
      violations: [{ field: 'start', message: 'must be before end' }],
    });
    const wire = toGrpcError(err);
    const back = fromGrpcError({ ...wire, message: 'x', name: 'Error' });
    expect(back.kind).toBe('validation');
    expect(back.reason).toBe('INVALID_ARGUMENT');
    expect(back.violations).toEqual([{ field: 'start', message: 'must be before end' }]);
  });

  it('hides the message of unknown errors, which may carry PHI', () => {
    const problem = toProblem(new Error('duplicate key value (name)=(Jane Canary)'), 'req-1');
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL', instance: 'req-1' });
    expect(JSON.stringify(problem)).not.toContain('Canary');
    const upstream = fromGrpcError({
      code: status.INTERNAL,
      details: 'Jane Canary',
      metadata: new Metadata(),
    });
    expect(upstream.message).not.toContain('Canary');
  });

  it('lists every zod issue as a field violation', () => {
    const err = validationFromIssues([
      { path: ['patient', 'phone'], message: 'invalid phone' },
      { path: [], message: 'empty body' },
    ]);
    expect(toProblem(err).errors).toEqual([
      { field: 'patient.phone', message: 'invalid phone' },
      { field: '(root)', message: 'empty body' },
    ]);
    expect(toProblem(err).type).toBe('urn:medspa:problem:invalid-argument');
  });
});
