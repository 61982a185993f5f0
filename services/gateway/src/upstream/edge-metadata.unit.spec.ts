import { randomUUID } from 'node:crypto';
import { createTokenVerifier } from '@medspa/auth';
import { createGrpcClient } from '@medspa/grpc';
import { createTestIssuer } from '@medspa/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EchoServiceClient,
  startEchoServer,
  type RunningEchoServer,
} from '../../../../libs/grpc/src/test-support/echo-server.js';
import { edgeClientOptions } from './clients.js';
import { runAsEdgeCall } from './edge-call.js';

// A service behind the gateway sees the HTTP request's id, traceparent and the caller's own token
// (the echo service answers with what its server context received).
const running: RunningEchoServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.server.drain({ graceMs: 100 })));
});

describe('upstream calls made for an HTTP request', () => {
  it("carry the gateway's request id, traceparent and the caller's token to the service", async () => {
    const issuer = await createTestIssuer();
    const service = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
    running.push(service);
    const client = createGrpcClient(EchoServiceClient, service.address, edgeClientOptions(5_000));
    const tenantId = randomUUID();
    const token = await issuer.sign({ userId: 'front-desk-1', tenantId, role: 'front_desk' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const requestId = `gw-${randomUUID()}`;

    const seen = await runAsEdgeCall({ token, requestId, traceparent }, () =>
      client.echo({ message: 'hop', delayMs: 0, failWith: '' }),
    );
    expect(seen).toMatchObject({ requestId, traceparent, tenantId, userId: 'front-desk-1' });

    // Two requests in flight at once each carry their own id (async context, not a shared field).
    const [a, b] = await Promise.all(
      ['gw-a-0000001', 'gw-b-0000002'].map((id) =>
        runAsEdgeCall({ token, requestId: id, traceparent: undefined }, () =>
          client.echo({ message: id, delayMs: 20, failWith: '' }),
        ),
      ),
    );
    expect([a?.requestId, b?.requestId]).toEqual(['gw-a-0000001', 'gw-b-0000002']);
    expect(a?.traceparent).toBe('');
    client.close();
  });
});
