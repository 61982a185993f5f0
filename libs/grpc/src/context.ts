import { AsyncLocalStorage } from 'node:async_hooks';
import type { Metadata } from '@grpc/grpc-js';
import type { Principal } from '@medspa/auth';

/** What a handler knows about the call it is serving. */
export interface CallContext {
  /**
   * The verified caller. Reading it in a public method (health) that was called without a token
   * throws `unauthenticated`, so a handler can't mistake an anonymous call for a tenant's.
   */
  readonly principal: Principal;
  /** The caller, or undefined for an anonymous call to a public method. */
  readonly principalOrUndefined: Principal | undefined;
  /** `x-request-id` from the caller, or a fresh one; echoed back in response headers. */
  readonly requestId: string;
  /** W3C trace context from the caller, when valid. */
  readonly traceparent: string | undefined;
  /** When the caller stops waiting, if it set a deadline. */
  readonly deadline: Date | undefined;
  /** Incoming metadata without `authorization`, so logging it can't leak the token. */
  readonly metadata: Metadata;
  /** Aborted when the caller cancels, the deadline passes, or a drain runs out of time. */
  readonly signal: AbortSignal;
  /** Full method path, e.g. `/medspa.scheduling.v1.SchedulingService/BookAppointment`. */
  readonly method: string;
}

/** The context plus the caller's raw token, which only outgoing calls may see (to forward it). */
export interface ActiveCall {
  readonly context: CallContext;
  readonly token: string | undefined;
}

const storage = new AsyncLocalStorage<ActiveCall>();

/** Runs `fn` with `call` as the current call, so clients made inside it can propagate metadata. */
export const runInCall = <T>(call: ActiveCall, fn: () => T): T => storage.run(call, fn);

/** The gRPC call being served on this async path, if any. */
export const currentCall = (): ActiveCall | undefined => storage.getStore();

/** The context of the gRPC call being served on this async path, if any. */
export const currentCallContext = (): CallContext | undefined => storage.getStore()?.context;
