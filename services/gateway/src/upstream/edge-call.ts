import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What an upstream gRPC call made on behalf of one HTTP request carries: the caller's bearer token
 * (forwarded as is, so each service verifies it again), the request id and the trace context.
 * The tenant is not among it on purpose: services take it only from the token's `tid` claim.
 */
export interface EdgeCall {
  readonly token: string | undefined;
  readonly requestId: string;
  readonly traceparent: string | undefined;
}

const storage = new AsyncLocalStorage<EdgeCall>();

/** Runs `fn` with `call` as the HTTP request being served, so upstream clients can stamp metadata. */
export const runAsEdgeCall = <T>(call: EdgeCall, fn: () => T): T => storage.run(call, fn);

/** The HTTP request being served on this async path, if any. */
export const currentEdgeCall = (): EdgeCall | undefined => storage.getStore();

// W3C trace context, version 00; all-zero ids are invalid (same rule the gRPC servers apply).
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A caller's `traceparent` header when it is well-formed; anything else is dropped. */
export const validTraceparent = (value: unknown): string | undefined =>
  typeof value === 'string' && TRACEPARENT.test(value) ? value : undefined;
