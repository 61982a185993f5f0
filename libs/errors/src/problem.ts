import { type ErrorKind, type FieldViolation, toAppError } from './app-error.js';

const httpStatusByKind: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition: 422,
  rate_limited: 429,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

/** An RFC 9457 problem document, with our machine-readable `code` and field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldViolation[];
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const httpStatusFor = (kind: ErrorKind): number => httpStatusByKind[kind];

/** Anything thrown, as a problem document; `instance` is usually the request id. */
export function toProblem(e: unknown, instance?: string): Problem {
  const err = toAppError(e);
  const status = httpStatusByKind[err.kind];
  const problem: Problem = {
    type: `urn:medspa:problem:${err.reason.toLowerCase().replaceAll('_', '-')}`,
    title: err.kind.replaceAll('_', ' '),
    status,
    detail: err.message,
    code: err.reason,
  };
  if (err.violations.length > 0) problem.errors = err.violations;
  if (instance !== undefined) problem.instance = instance;
  return problem;
}
