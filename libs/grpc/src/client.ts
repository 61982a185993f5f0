import { randomUUID } from 'node:crypto';
import {
  credentials as grpcCredentials,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientOptions,
} from '@grpc/grpc-js';
import { fromGrpcError } from '@medspa/errors';
import { currentCall } from './context.js';
import type { AnyMethod, AnyServiceDefinition } from './handlers.js';
import { AUTHORIZATION_KEY, REQUEST_ID_KEY, TRACEPARENT_KEY } from './metadata.js';
import { grpcTlsFromEnv } from './tls.js';

export interface GrpcClientOptions {
  /** Token for calls made outside any incoming call, e.g. `() => signer.tokenFor(tenantId)`. */
  getToken?: () => Promise<string | undefined> | string | undefined;
  /** Forward the token of the call being served, so work on a user's behalf carries the user. Default true. */
  forwardCallerToken?: boolean;
  /** Default: mutual TLS when GRPC_TLS_* are set (see tls.ts), else insecure (the embedded default). */
  credentials?: ChannelCredentials;
  /** Deadline for calls that set none; never later than the incoming call's deadline. Default 10 s. */
  deadlineMs?: number;
  channelOptions?: ChannelOptions & Partial<ClientOptions>;
  /**
   * The request id and traceparent of work that is not an incoming gRPC call (the gateway's HTTP
   * requests), read at each call like `getToken`. A call's own `metadata` wins over it; both win
   * over the incoming call's.
   */
  getCallMetadata?: () => CallMetadata | undefined;
}

/** Correlation a call carries to the peer: `x-request-id` and the W3C `traceparent`. */
export interface CallMetadata {
  requestId?: string;
  traceparent?: string;
}

export interface ClientCallOptions {
  deadline?: Date;
  signal?: AbortSignal;
  /** This call's request id and traceparent (default: the client's `getCallMetadata`, then the incoming call's). */
  metadata?: CallMetadata;
}

type ClientRequestOf<M> = M extends { requestSerialize: (value: infer R) => Buffer } ? R : never;
type ClientResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer R } ? R : never;

/** A generated client as promises (unary) and async iterables (server streaming). */
export type PromiseClient<D extends AnyServiceDefinition> = {
  readonly [K in keyof D]: D[K] extends { requestStream: true }
    ? never
    : D[K] extends { responseStream: true }
      ? (request: ClientRequestOf<D[K]>, options?: ClientCallOptions) => AsyncIterable<ClientResponseOf<D[K]>>
      : (request: ClientRequestOf<D[K]>, options?: ClientCallOptions) => Promise<ClientResponseOf<D[K]>>;
} & { close(): void };

/** What ts-proto generates as `<Service>Client`: a constructor that knows its definition. */
export interface GeneratedClientConstructor<D extends AnyServiceDefinition> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): Client;
  service: D;
}

type Serialize = (value: unknown) => Buffer;

/**
 * A client for a peer service (`SCHEDULING_GRPC_ADDR`). Each call carries the caller's token (or
 * `getToken()` outside a call), the current request id and traceparent, a deadline no later than
 * the incoming one, and is cancelled with the incoming call; errors come back as AppErrors.
 */
export function createGrpcClient<D extends AnyServiceDefinition>(
  ClientCtor: GeneratedClientConstructor<D>,
  address: string,
  options: GrpcClientOptions = {},
): PromiseClient<D> {
  if ('close' in ClientCtor.service) throw new TypeError('A method named close would shadow client.close()');
  const client = new ClientCtor(
    address,
    options.credentials ?? grpcTlsFromEnv()?.client ?? grpcCredentials.createInsecure(),
    options.channelOptions,
  );
  const deadlineMs = options.deadlineMs ?? 10_000;

  const prepare = async (callOptions: ClientCallOptions) => {
    const active = currentCall();
    const metadata = new Metadata();
    const forwarded = options.forwardCallerToken === false ? undefined : active?.token;
    const token = forwarded ?? (await options.getToken?.());
    if (token !== undefined) metadata.set(AUTHORIZATION_KEY, `Bearer ${token}`);
    const given = { ...options.getCallMetadata?.(), ...callOptions.metadata };
    metadata.set(REQUEST_ID_KEY, given.requestId ?? active?.context.requestId ?? randomUUID());
    const traceparent = given.traceparent ?? active?.context.traceparent;
    if (traceparent !== undefined) metadata.set(TRACEPARENT_KEY, traceparent);
    const candidates = [
      Date.now() + deadlineMs,
      callOptions.deadline?.getTime(),
      active?.context.deadline?.getTime(),
    ];
    const deadline = new Date(Math.min(...candidates.filter((t): t is number => t !== undefined)));
    const signals = [callOptions.signal, active?.context.signal].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    // AbortSignal.any is dear (a new signal held through weak references until GC): only to join two.
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return { metadata, deadline, signal };
  };

  const unary =
    (method: AnyMethod) =>
    async (request: unknown, callOptions: ClientCallOptions = {}) => {
      const { metadata, deadline, signal } = await prepare(callOptions);
      signal?.throwIfAborted();
      return new Promise<unknown>((resolve, reject) => {
        const cancel = () => call.cancel();
        const call = client.makeUnaryRequest(
          method.path,
          method.requestSerialize as Serialize,
          method.responseDeserialize,
          request,
          metadata,
          { deadline },
          (err, value) => {
            signal?.removeEventListener('abort', cancel);
            if (err) reject(fromGrpcError(err));
            else resolve(value);
          },
        );
        signal?.addEventListener('abort', cancel, { once: true });
      });
    };

  const serverStream = (method: AnyMethod) =>
    async function* (request: unknown, callOptions: ClientCallOptions = {}) {
      const { metadata, deadline, signal } = await prepare(callOptions);
      signal?.throwIfAborted();
      const call = client.makeServerStreamRequest(
        method.path,
        method.requestSerialize as Serialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
      );
      const cancel = () => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        for await (const message of call) yield message as unknown;
      } catch (e) {
        throw fromGrpcError(e);
      } finally {
        signal?.removeEventListener('abort', cancel);
        call.cancel(); // no-op after the status arrived; stops the stream if the consumer broke off
      }
    };

  const methods = Object.fromEntries(
    Object.entries(ClientCtor.service).map(([name, method]) => [
      name,
      method.requestStream ? undefined : method.responseStream ? serverStream(method) : unary(method),
    ]),
  );
  return { ...methods, close: () => client.close() } as unknown as PromiseClient<D>;
}
