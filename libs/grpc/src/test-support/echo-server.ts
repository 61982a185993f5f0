import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenVerifier } from '@medspa/auth';
import { requirePermission } from '@medspa/auth';
import { EchoServiceClient, EchoServiceService } from '@medspa/contracts/medspa.testing.v1';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from '../handlers.js';
import { createGrpcServer, type GrpcServer } from '../server.js';

/** The echo service the kit's tests run: reports what the server learned about the caller. */
export const echoHandlers: ServiceHandlers<typeof EchoServiceService> = {
  async echo(request, ctx) {
    if (request.delayMs > 0) await sleep(request.delayMs, undefined, { signal: ctx.signal });
    if (request.failWith === 'not_found') throw errors.notFound('ECHO_NOT_FOUND', 'Nothing to echo');
    if (request.failWith !== '') throw new Error(`driver said: ${request.failWith}`);
    requirePermission(ctx.principal, 'schedule:read');
    return {
      message: request.message,
      tenantId: ctx.principal.tenantId,
      userId: ctx.principal.userId,
      role: ctx.principal.role,
      requestId: ctx.requestId,
      traceparent: ctx.traceparent ?? '',
    };
  },
  async *echoStream(request, ctx) {
    requirePermission(ctx.principal, 'schedule:read');
    for (let index = 0; index < request.count; index += 1) {
      yield { message: request.message, index };
      await sleep(1);
    }
  },
};

export interface RunningEchoServer {
  server: GrpcServer;
  address: string;
}

/** Starts an echo server on 127.0.0.1 with a free port. */
export async function startEchoServer(
  verifier: TokenVerifier,
  handlers: ServiceHandlers<typeof EchoServiceService> = echoHandlers,
): Promise<RunningEchoServer> {
  const server = createGrpcServer({
    serviceName: 'echo',
    verifier,
    protoFiles: ['medspa/testing/v1/echo.proto'],
  });
  server.addService(EchoServiceService, handlers);
  const port = await server.listen('127.0.0.1:0');
  return { server, address: `127.0.0.1:${port}` };
}

export { EchoServiceService, EchoServiceClient };
