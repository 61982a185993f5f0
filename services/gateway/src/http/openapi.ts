import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Route } from '../routes/route.js';
import { ProblemSchema } from './routes.js';
import { DOCS_HTML, DOCS_SCRIPT } from './docs-page.js';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

const problemJson = z.toJSONSchema(ProblemSchema);

// The zod transform turns each route's schemas into OpenAPI; on top of it every route documents
// its problem+json failures, and routes that answer CSV or NDJSON say so.
function transform(input: TransformInput) {
  const out = jsonSchemaTransform(input);
  const route = (input.route as { config?: { route?: Route } }).config?.route;
  if (route === undefined) return out;
  const schema = out.schema as Record<string, unknown>;
  const responses = (schema.response ?? {}) as Record<string, unknown>;
  if (route.produces !== undefined) {
    responses[String(route.status ?? 200)] = {
      description: route.summary,
      content: { [route.produces]: { schema: { type: 'string' } } },
    };
  }
  // Every route is under the per-client rate limit (sign-in, MFA and refresh under stricter ones).
  responses['429'] = {
    description: 'Too many requests (RATE_LIMITED): retry after the given delay',
    headers: {
      'retry-after': { description: 'Seconds to wait', schema: { type: 'string' } },
    },
    content: { 'application/problem+json': { schema: problemJson } },
  };
  responses['4XX'] = {
    description: 'A problem (RFC 9457): invalid input, not signed in, not allowed, not found, conflict',
    content: { 'application/problem+json': { schema: problemJson } },
  };
  responses['5XX'] = {
    description: 'A problem (RFC 9457): a service is unavailable or did not answer in time',
    content: { 'application/problem+json': { schema: problemJson } },
  };
  schema.response = responses;
  return out;
}

/** Collects the OpenAPI 3 document from the routes registered after it (call before the route table). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MedSpa platform API',
        version: '1.0.0',
        description:
          'REST/JSON for the staff and patient apps. Bodies are the proto3 JSON of the services\u2019 ' +
          'messages; fields at their default are omitted. Failures are problem+json (RFC 9457) with a ' +
          'machine-readable `code`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform,
  });
}

/** `GET /openapi.json` and a docs page (`/docs`) that renders it with no network beyond this server. */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
      )
      .send(DOCS_HTML),
  );
  app.get('/docs/docs.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(DOCS_SCRIPT),
  );
}
