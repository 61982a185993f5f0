import { Readable } from 'node:stream';
import { currentTraceparent } from '@medspa/observability';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Route, RouteReply } from '../routes/route.js';
import { authenticate, type EdgeAuthDeps, type EdgeCaller } from '../session/authenticate.js';
import type { Upstreams } from '../upstream/clients.js';
import { runAsEdgeCall, validTraceparent } from '../upstream/edge-call.js';

export interface RouteTableDeps extends EdgeAuthDeps {
  upstream: Upstreams;
  /** How long an upstream call may take before the request fails with 504. */
  upstreamDeadlineMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route table's onRequest hook: the caller as the edge verified it. */
    caller: EdgeCaller | undefined;
  }
  interface FastifyContextConfig {
    /** The route table entry a Fastify route was generated from. */
    route?: Route;
  }
}

// Every route answers problem+json on failure; the OpenAPI document says so once per route.
const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  instance: z.string().optional(),
});
export { ProblemSchema };

/** Cancels upstream work when the client goes away before the reply is finished. */
function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

async function send(reply: FastifyReply, route: Route, result: RouteReply): Promise<unknown> {
  if ('json' in result) return reply.status(route.status ?? 200).send(result.json);
  void reply.status(route.status ?? 200).type(result.contentType);
  if (result.filename !== undefined) {
    void reply.header('content-disposition', `attachment; filename="${result.filename}"`);
  }
  if ('text' in result) return reply.send(result.text);
  // Pull the first line before the status goes out, so an upstream refusal is still a problem+json.
  const iterator = result.lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* rest(): AsyncGenerator<string> {
    if (first.done === true) return;
    yield `${first.value}\n`;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      yield `${next.value}\n`;
    }
  }
  return reply.send(Readable.from(rest()));
}

/** Generates one Fastify route per table entry: the edge checks, the validation, the upstream call. */
export function registerRouteTable(
  app: FastifyInstance,
  routes: readonly Route[],
  deps: RouteTableDeps,
): void {
  app.decorateRequest('caller', undefined);
  for (const route of routes) {
    const isJson = route.produces === undefined;
    app.route({
      method: route.method,
      url: route.path,
      config: { route },
      schema: {
        operationId: route.operationId,
        tags: [route.tag],
        summary: route.summary,
        ...(route.access.kind === 'public' ? {} : { security: [{ bearer: [] }] }),
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { querystring: route.query } : {}),
        ...(route.body ? { body: route.body } : {}),
        ...(isJson ? { response: { [route.status ?? 200]: route.response } } : {}),
      },
      // Before the body is read: an unauthenticated or unauthorized caller gets 401/403, not 400.
      onRequest: async (request) => {
        request.caller = await authenticate(deps, route.access, request.headers.authorization);
      },
      handler: async (request, reply) => {
        const caller = request.caller ?? { token: undefined, principal: undefined };
        const input = {
          ...(request.body as Record<string, unknown> | undefined),
          ...(request.query as Record<string, unknown> | undefined),
          ...(request.params as Record<string, unknown> | undefined),
        };
        const edgeCall = {
          token: caller.token,
          requestId: request.id,
          traceparent: currentTraceparent() ?? validTraceparent(request.headers.traceparent),
        };
        const call = {
          deadline: new Date(Date.now() + deps.upstreamDeadlineMs),
          signal: abortOnDisconnect(reply),
        };
        // The whole reply runs as this edge call: a stream's upstream call starts on its first pull.
        return runAsEdgeCall(edgeCall, async () => {
          const ctx = {
            input,
            upstream: deps.upstream,
            principal: caller.principal,
            sessions: deps.sessions,
            call,
          };
          return send(reply, route, await route.handle(ctx));
        });
      },
    });
  }
}
