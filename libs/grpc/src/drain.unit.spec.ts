import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import { HealthClient } from '@medspa/contracts/grpc.health.v1';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createGrpcClient } from './client.js';
import { ServingStatus } from './health.js';
import type { DrainResult } from './server.js';
import { drainOnSignals } from './shutdown.js';
import { EchoServiceClient, startEchoServer } from './test-support/echo-server.js';

async function start() {
  const issuer = await createTestIssuer();
  const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
  echo.server.markReady();
  const token = await issuer.sign();
  const client = createGrpcClient(EchoServiceClient, echo.address, { getToken: () => token });
  return { echo, client };
}

describe('graceful drain', () => {
  it('on SIGTERM turns NOT_SERVING, lets an in-flight slow call finish, then stops', async () => {
    const { echo, client } = await start();
    const health = createGrpcClient(HealthClient, echo.address);
    let result: DrainResult | undefined;
    const remove = drainOnSignals(echo.server, {
      graceMs: 5_000,
      signals: ['SIGTERM'],
      onDrained: (r) => {
        result = r;
      },
    });
    try {
      const slow = client.echo({ message: 'slow', delayMs: 300, failWith: '' });
      await expect.poll(() => echo.server.inFlight).toBe(1);
      process.emit('SIGTERM', 'SIGTERM');
      expect(echo.server.health.status('')).toBe(ServingStatus.NOT_SERVING);
      await expect(slow).resolves.toMatchObject({ message: 'slow' });
      await expect.poll(() => result).toEqual({ forced: false, abortedCalls: 0 });
      await expect(client.echo({ message: 'late', delayMs: 0, failWith: '' })).rejects.toMatchObject({
        kind: 'unavailable',
      });
      await expect(health.check({ service: '' })).rejects.toMatchObject({ kind: 'unavailable' });
    } finally {
      remove();
      client.close();
      health.close();
    }
  });

  it('cuts off calls still running when the grace period ends', async () => {
    const { echo, client } = await start();
    const stuck = client.echo({ message: 'stuck', delayMs: 10_000, failWith: '' });
    await expect.poll(() => echo.server.inFlight).toBe(1);
    const started = Date.now();
    await expect(echo.server.drain({ graceMs: 200 })).resolves.toEqual({ forced: true, abortedCalls: 1 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(stuck).rejects.toMatchObject({ kind: 'unavailable' });
    client.close();
  });
});
