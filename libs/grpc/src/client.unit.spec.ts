import { randomUUID } from 'node:crypto';
import { Metadata, credentials } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import type { EchoResponse } from '@medspa/contracts/medspa.testing.v1';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createGrpcClient } from './client.js';
import type { ServiceHandlers } from './handlers.js';
import {
  EchoServiceClient,
  echoHandlers,
  startEchoServer,
  type EchoServiceService,
  type RunningEchoServer,
} from './test-support/echo-server.js';

const running: RunningEchoServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.server.drain({ graceMs: 100 })));
});

describe('createGrpcClient', () => {
  it('propagates the caller’s token, request id and trace context to the next service', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const downstream = await startEchoServer(verifier);
    running.push(downstream);
    const toDownstream = createGrpcClient(EchoServiceClient, downstream.address, {
      getToken: () => 'never-used-inside-a-call',
    });
    // The upstream handler answers with what the downstream service saw, plus its own request id.
    const relay: ServiceHandlers<typeof EchoServiceService> = {
      ...echoHandlers,
      echo: async (request, ctx) => ({ ...(await toDownstream.echo(request)), message: ctx.requestId }),
    };
    const upstream = await startEchoServer(verifier, relay);
    running.push(upstream);

    const tenantId = randomUUID();
    const token = await issuer.sign({ userId: 'provider-7', tenantId, role: 'provider' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    metadata.set('x-request-id', 'req-from-gateway');
    metadata.set('traceparent', traceparent);
    const raw = new EchoServiceClient(upstream.address, credentials.createInsecure());
    const seen = await new Promise<EchoResponse>((resolve, reject) =>
      raw.echo({ message: 'hop', delayMs: 0, failWith: '' }, metadata, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    expect(seen).toEqual({
      message: 'req-from-gateway',
      tenantId,
      userId: 'provider-7',
      role: 'provider',
      requestId: 'req-from-gateway',
      traceparent,
    });
    raw.close();
    toDownstream.close();
  });

  it('uses getToken outside any incoming call (background work)', async () => {
    const issuer = await createTestIssuer();
    const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
    running.push(echo);
    const token = await issuer.sign({ userId: 'svc:notification', role: 'service' });
    const client = createGrpcClient(EchoServiceClient, echo.address, {
      getToken: () => Promise.resolve(token),
    });
    const seen = await client.echo({ message: 'reminder', delayMs: 0, failWith: '' });
    expect(seen).toMatchObject({ userId: 'svc:notification', role: 'service' });
    expect(seen.requestId).toMatch(/^[0-9a-f-]{36}$/);
    client.close();
  });

  it('maps errors back to AppErrors and streams server-streaming methods', async () => {
    const issuer = await createTestIssuer();
    const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
    running.push(echo);
    const token = await issuer.sign({ role: 'front_desk' });
    const client = createGrpcClient(EchoServiceClient, echo.address, { getToken: () => token });
    await expect(client.echo({ message: '', delayMs: 0, failWith: 'not_found' })).rejects.toMatchObject({
      kind: 'not_found',
      reason: 'ECHO_NOT_FOUND',
    });
    const received: number[] = [];
    for await (const item of client.echoStream({ message: 'tick', count: 3 })) received.push(item.index);
    expect(received).toEqual([0, 1, 2]);
    const anonymous = createGrpcClient(EchoServiceClient, echo.address);
    const stream = anonymous.echoStream({ message: 'tick', count: 3 });
    await expect(
      (async () => {
        for await (const _ of stream) throw new Error('should not get here');
      })(),
    ).rejects.toMatchObject({ kind: 'unauthenticated', reason: 'TOKEN_MISSING' });
    client.close();
    anonymous.close();
  });

  it('gives up at the deadline', async () => {
    const issuer = await createTestIssuer();
    const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
    running.push(echo);
    const token = await issuer.sign();
    const client = createGrpcClient(EchoServiceClient, echo.address, {
      getToken: () => token,
      deadlineMs: 100,
    });
    await expect(client.echo({ message: 'slow', delayMs: 2_000, failWith: '' })).rejects.toMatchObject({
      kind: 'timeout',
    });
    client.close();
  });
});
