import type { Permission, Principal } from '@medspa/auth';
import type { ClientCallOptions } from '@medspa/grpc';
import type { z } from 'zod';
import type { SessionGuard } from '../session/session-guard.js';
import type { UpstreamName, Upstreams } from '../upstream/clients.js';

/**
 * Who may call a route, checked at the edge before any upstream call (the service checks again).
 * - `public`: no token (sign-in, MFA verification, refresh).
 * - `identity`: the bearer is forwarded to identity unverified: enrolment-only tokens have an
 *   audience the gateway (rightly) refuses, and identity verifies them itself.
 * - `signed-in`: any valid platform token (logout, break-glass, which identity authorizes).
 * - `permission`: the role must hold one of `permissions` in libs/auth's ROLE_PERMISSIONS (more
 *   than one where the service accepts either, e.g. as-of reads for audit). `patients` says what a
 *   patient's `own` grant reaches: `own` (the service limits it to their records) or `never`
 *   (staff work such as the day calendar or check-in, refused here for patients).
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'identity' }
  | { kind: 'signed-in' }
  | { kind: 'permission'; permissions: readonly Permission[]; patients: 'own' | 'never' };

/** What a route handler has: the validated input (params, query and body merged) and the caller. */
export interface RouteContext {
  input: Record<string, unknown>;
  upstream: Upstreams;
  /** The verified caller (undefined on public and identity-verified routes). */
  principal: Principal | undefined;
  sessions: SessionGuard;
  /** Deadline and cancellation of the HTTP request, for upstream calls. */
  call: ClientCallOptions;
}

/** A JSON body (serialized through the route's response schema), a text body, or a stream of lines. */
export type RouteReply =
  | { json: unknown }
  | { contentType: string; text: string; filename?: string }
  | { contentType: string; lines: AsyncIterable<string>; filename?: string };

type ZodObjectAny = z.ZodObject;

/** One REST operation: everything the server, the OpenAPI document and the tests need. */
export interface Route {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify syntax: `/v1/appointments/:appointmentId`. */
  path: string;
  tag: string;
  summary: string;
  access: Access;
  params?: ZodObjectAny;
  query?: ZodObjectAny;
  body?: ZodObjectAny;
  /** The success body's schema (for non-JSON replies, what the OpenAPI document shows). */
  response: z.ZodType;
  /** Default 200. */
  status?: 200 | 201;
  /** Non-JSON success content type (CSV, NDJSON). */
  produces?: string;
  handle(ctx: RouteContext): Promise<RouteReply>;
}

/** Staff-only work: patients are refused even where their role holds the permission for own records. */
export const staff = (...permissions: Permission[]): Access => ({
  kind: 'permission',
  permissions,
  patients: 'never',
});
/** A permission a patient's `own` grant also reaches (the service narrows it to their records). */
export const anyone = (...permissions: Permission[]): Access => ({
  kind: 'permission',
  permissions,
  patients: 'own',
});

interface ProtoCodec<T> {
  fromJSON(object: unknown): T;
}
interface ProtoJson<T> {
  toJSON(message: T): unknown;
}

type Method<S extends UpstreamName, M extends keyof Upstreams[S]> = Upstreams[S][M] extends (
  request: infer Q,
  options?: ClientCallOptions,
) => Promise<infer R>
  ? { request: Q; response: R }
  : never;

/**
 * The common handler: the validated input as the request message's proto3 JSON (so ids, enums
 * and timestamps map by the generated codec), one unary call, the response as proto3 JSON.
 * Fields at their default (empty, zero, false) are omitted, as proto3 JSON does.
 */
export function rpc<S extends UpstreamName, M extends keyof Upstreams[S] & string>(
  service: S,
  method: M,
  Request: ProtoCodec<Method<S, M>['request']>,
  Response: ProtoJson<Method<S, M>['response']>,
): Route['handle'] {
  return async ({ input, upstream, call }) => {
    const client = upstream[service] as unknown as Record<
      string,
      (request: unknown, options?: ClientCallOptions) => Promise<Method<S, M>['response']>
    >;
    const response = await client[method]!(Request.fromJSON(input), call);
    return { json: Response.toJSON(response) };
  };
}

/** A route, typed where it is written. */
export const route = (r: Route): Route => r;
