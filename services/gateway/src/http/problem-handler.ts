import { AppError, PROBLEM_CONTENT_TYPE, toProblem, validationFromIssues } from '@medspa/errors';
import type { FastifyError, FastifyInstance } from 'fastify';

const SERVER_DETAIL: Record<number, string> = {
  503: 'A service is unavailable; try again shortly',
  504: 'A service did not answer in time',
};

// HTTP-only statuses the error taxonomy has no kind for: the body says `validation`, the status
// keeps what HTTP clients and proxies expect.
const HTTP_STATUS_BY_CODE: Record<string, number> = { BODY_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415 };

/** Every error leaves as RFC 9457 problem+json; unknown errors are logged by type only and hidden. */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppErrorFromHttp(error);
    const problem = toProblem(appError, request.id);
    problem.status = HTTP_STATUS_BY_CODE[problem.code] ?? problem.status;
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
      // An upstream's transport detail (addresses, resolver notes) is for the log, not the client.
      problem.detail = SERVER_DETAIL[problem.status] ?? 'An internal error occurred';
    }
    // RFC 6750: a 401 names the scheme, so clients know to sign in (again) or refresh.
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    void reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = toProblem(new AppError('not_found', 'ROUTE_NOT_FOUND', 'No such route'), request.id);
    void reply.status(404).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
}

function toAppErrorFromHttp(error: FastifyError): unknown {
  if (error instanceof AppError) return error;
  if (error.validation !== undefined) {
    return validationFromIssues(
      error.validation.map((v) => ({
        path: [error.validationContext ?? '', ...v.instancePath.split('/')].filter(Boolean),
        message: v.message ?? 'invalid',
      })),
    );
  }
  // Fastify's own 4xx (body too large, bad JSON, unsupported media type) keep their status.
  const status = error.statusCode ?? 500;
  if (status === 413) return new AppError('validation', 'BODY_TOO_LARGE', 'The request body is too large');
  if (status === 415) return new AppError('validation', 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type');
  if (status >= 400 && status < 500)
    return new AppError('validation', 'BAD_REQUEST', 'The request is malformed');
  return error;
}
