import { once } from 'node:events';
import type { ServerUnaryCall, ServerWritableStream, UntypedHandleCall, sendUnaryData } from '@grpc/grpc-js';
import type { CallContext } from './context.js';
import { runCall, type CallGate } from './call-runner.js';

/** One method of a ts-proto `outputServices=grpc-js` service definition, whatever its types. */
export interface AnyMethod {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: never) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: never) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => unknown;
}

/** A generated service definition, e.g. `HealthService` from `@medspa/contracts`. */
export type AnyServiceDefinition = Readonly<Record<string, AnyMethod>>;

/** The message a server receives / a client sends for a method. */
export type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer R } ? R : never;
/** The message a server sends / a client receives for a method. */
export type ResponseOf<M> = M extends { responseSerialize: (value: infer R) => Buffer } ? R : never;

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res> | Res;
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: CallContext) => AsyncIterable<Res>;

/** Client- and bidi-streaming map to `never`: the kit does not support them (yet). */
export type HandlerFor<M> = M extends { requestStream: true }
  ? never
  : M extends { responseStream: true }
    ? ServerStreamHandler<RequestOf<M>, ResponseOf<M>>
    : UnaryHandler<RequestOf<M>, ResponseOf<M>>;

/** The implementation of a service: `async (request, ctx) => response` per method. */
export type ServiceHandlers<D extends AnyServiceDefinition> = { readonly [K in keyof D]: HandlerFor<D[K]> };

type AnyUnary = UnaryHandler<unknown, unknown>;
type AnyStream = ServerStreamHandler<unknown, unknown>;

function wrapUnary(gate: CallGate, handler: AnyUnary, isPublic: boolean): UntypedHandleCall {
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    void runCall(gate, call, isPublic, (ctx) => handler(call.request, ctx)).then((outcome) => {
      if (outcome.ok) callback(null, outcome.value);
      else callback(outcome.error);
    });
  };
}

function wrapServerStream(gate: CallGate, handler: AnyStream, isPublic: boolean): UntypedHandleCall {
  return (call: ServerWritableStream<unknown, unknown>) => {
    const pump = async (ctx: CallContext) => {
      for await (const message of handler(call.request, ctx)) {
        if (ctx.signal.aborted) return;
        // Respect backpressure; a cancelled call never drains, so the abort ends the wait.
        if (!call.write(message)) await once(call, 'drain', { signal: ctx.signal }).catch(() => undefined);
      }
    };
    // A stream's headers go first: its messages follow one by one.
    void runCall(gate, call, isPublic, pump, true).then((outcome) => {
      if (call.cancelled) return;
      if (outcome.ok) call.end();
      else call.emit('error', outcome.error);
    });
  };
}

/** Adapts a handler to grpc-js, routing every outcome through the call runner. */
export function wrapHandler(
  gate: CallGate,
  method: AnyMethod,
  handler: unknown,
  isPublic: boolean,
): UntypedHandleCall {
  if (typeof handler !== 'function') throw new TypeError(`No handler for ${method.path}`);
  if (method.requestStream) throw new TypeError(`${method.path}: client streaming is not supported`);
  return method.responseStream
    ? wrapServerStream(gate, handler as AnyStream, isPublic)
    : wrapUnary(gate, handler as AnyUnary, isPublic);
}
