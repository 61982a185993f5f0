import { Metadata, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { Principal, TokenVerifier } from '@medspa/auth';
import { errors, toAppError, toGrpcError } from '@medspa/errors';
import { runInCall, type CallContext } from './context.js';
import type { GrpcLogger } from './logger.js';
import { REQUEST_ID_KEY, readIncomingMetadata, withoutCredentials } from './metadata.js';

/** What every call needs from its server: the verifier, the logger and the drain bookkeeping. */
export interface CallGate {
  readonly verifier: TokenVerifier;
  readonly logger: GrpcLogger;
  isDraining(): boolean;
  /** Registers an in-flight call; the returned function unregisters it. */
  track(abort: AbortController): () => void;
}

// grpc-js does not export ServerSurfaceCall; this is the part every server call shares.
type ServerSurfaceCall = Omit<ServerUnaryCall<unknown, unknown>, 'request'>;

const toDeadline = (deadline: Date | number): Date | undefined =>
  deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : undefined;

async function authenticate(
  gate: CallGate,
  isPublic: boolean,
  token: string | undefined,
  malformed: boolean,
): Promise<Principal | undefined> {
  // Public methods (health) never look at credentials: probes have none, and a bad token must
  // not make a healthy pod look dead.
  if (isPublic) return undefined;
  if (malformed) throw errors.unauthenticated('TOKEN_MALFORMED', 'Authorization must be "Bearer <token>"');
  if (token === undefined) throw errors.unauthenticated('TOKEN_MISSING', 'An access token is required');
  return gate.verifier.verify(token);
}

/** How a call ended: a response, or the error to send in its place. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: Partial<ServiceError> };

/**
 * Runs one call: refuses it while draining, authenticates it, builds its context, keeps it
 * on the in-flight list, and makes it the current call for outgoing clients. The tenant comes
 * from the verified token only; any tenant header a caller sends is ignored. Never rejects:
 * failures come back as the gRPC error to send, unknown ones logged and reduced to INTERNAL.
 * The response headers (echoing the request id) go out before `body` runs with `headersFirst`
 * (server streams), else as the call ends.
 */
export async function runCall<T>(
  gate: CallGate,
  call: ServerSurfaceCall,
  isPublic: boolean,
  body: (ctx: CallContext) => Promise<T> | T,
  headersFirst = false,
): Promise<CallOutcome<T>> {
  const abort = new AbortController();
  const untrack = gate.track(abort);
  const onCancel = () => abort.abort(errors.unavailable('CALL_CANCELLED', 'The call was cancelled'));
  call.once('cancelled', onCancel);
  const incoming = readIncomingMetadata(call.metadata);
  const method = call.getPath();
  const sendHeaders = () => {
    const headers = new Metadata();
    headers.set(REQUEST_ID_KEY, incoming.requestId);
    call.sendMetadata(headers);
  };
  try {
    if (gate.isDraining()) throw errors.unavailable('SERVER_DRAINING', 'The server is shutting down');
    if (headersFirst) sendHeaders();
    const principal = await authenticate(gate, isPublic, incoming.token, incoming.malformedAuthorization);
    const context: CallContext = {
      get principal(): Principal {
        if (principal === undefined)
          throw errors.unauthenticated('TOKEN_MISSING', 'An access token is required');
        return principal;
      },
      principalOrUndefined: principal,
      requestId: incoming.requestId,
      traceparent: incoming.traceparent,
      deadline: toDeadline(call.getDeadline()),
      metadata: withoutCredentials(call.metadata),
      signal: abort.signal,
      method,
    };
    const value = await runInCall({ context, token: incoming.token }, () => body(context));
    return { ok: true, value };
  } catch (e) {
    const err = toAppError(e);
    const where = { method, requestId: incoming.requestId };
    // A handler stopped by cancellation or a forced drain is expected, not a bug worth an alert.
    if (err.kind === 'internal' && !abort.signal.aborted) {
      gate.logger.error({ ...where, err: e }, 'gRPC handler failed');
    }
    if (err.kind === 'unauthenticated')
      gate.logger.info({ ...where, reason: err.reason }, 'gRPC call refused');
    return { ok: false, error: toGrpcError(err) };
  } finally {
    // A unary reply's headers go with its message, in the same socket write (sent at the start of
    // the call, they would cost a write of their own while the handler waits on its database).
    if (!headersFirst) sendHeaders();
    call.removeListener('cancelled', onCancel);
    untrack();
  }
}
