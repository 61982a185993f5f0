import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import { HealthClient } from '@medspa/contracts/grpc.health.v1';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createGrpcClient } from './client.js';
import { ServingStatus } from './health.js';
import { startEchoServer, type RunningEchoServer } from './test-support/echo-server.js';

const running: RunningEchoServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.server.drain({ graceMs: 100 })));
});

async function start() {
  const issuer = await createTestIssuer();
  const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
  running.push(echo);
  // Probes carry no token: the health client is given none.
  return { echo, health: createGrpcClient(HealthClient, echo.address) };
}

describe('grpc.health.v1', () => {
  it('is NOT_SERVING until markReady, for the server and each service, without a token', async () => {
    const { echo, health } = await start();
    expect(await health.check({ service: '' })).toEqual({ status: ServingStatus.NOT_SERVING });
    echo.server.markReady();
    expect(await health.check({ service: '' })).toEqual({ status: ServingStatus.SERVING });
    expect(await health.check({ service: 'medspa.testing.v1.EchoService' })).toEqual({
      status: ServingStatus.SERVING,
    });
    await expect(health.check({ service: 'medspa.nope.v1.Nope' })).rejects.toMatchObject({
      kind: 'not_found',
      reason: 'HEALTH_SERVICE_UNKNOWN',
    });
    health.close();
  });

  it('streams changes to watchers and ends the watch when the server drains', async () => {
    const { echo, health } = await start();
    const seen: ServingStatus[] = [];
    const watching = (async () => {
      for await (const update of health.watch({ service: '' })) {
        seen.push(update.status);
        if (update.status === ServingStatus.NOT_SERVING && seen.length === 1) echo.server.markReady();
      }
    })();
    await expect.poll(() => seen).toEqual([ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
    await echo.server.drain({ graceMs: 1_000 });
    await watching;
    expect(seen).toEqual([ServingStatus.NOT_SERVING, ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    health.close();
  });
});

describe('server reflection', () => {
  it('lists the services on the server', async () => {
    const { echo } = await start();
    const reflectionDir = join(
      dirname(createRequire(import.meta.url).resolve('@grpc/reflection')),
      '../proto',
    );
    const definition = loadSync('grpc/reflection/v1/reflection.proto', {
      includeDirs: [reflectionDir],
      keepCase: true,
    });
    interface ListServicesReply {
      list_services_response?: { service: { name: string }[] };
    }
    type ReflectionCtor = new (
      address: string,
      creds: ReturnType<typeof credentials.createInsecure>,
    ) => Client & { ServerReflectionInfo(): ClientDuplexStream<object, ListServicesReply> };
    const pkg = loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: ReflectionCtor } } };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(echo.address, credentials.createInsecure());
    const call = client.ServerReflectionInfo();
    const answer = new Promise<string[]>((resolve, reject) => {
      call.on('data', (res: ListServicesReply) =>
        resolve(res.list_services_response?.service.map((s) => s.name) ?? []),
      );
      call.on('error', reject);
    });
    call.write({ list_services: '*' });
    const names = await answer;
    call.end();
    client.close();
    // The reflection service describes the protos it was given, not itself.
    expect(names.sort()).toEqual(['grpc.health.v1.Health', 'medspa.testing.v1.EchoService']);
  });
});
