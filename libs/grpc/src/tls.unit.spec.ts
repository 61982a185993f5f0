import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus, HealthClient } from '@medspa/contracts/grpc.health.v1';
import { EchoServiceClient as RawEchoClient } from '@medspa/contracts/medspa.testing.v1';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createGrpcClient } from './client.js';
import { createGrpcServer, type GrpcServer } from './server.js';
import { createTestPki } from './test-support/certs.js';
import { echoHandlers } from './test-support/echo-server.js';
import { EchoServiceService } from '@medspa/contracts/medspa.testing.v1';
import { grpcTlsFromEnv } from './tls.js';

const pki = createTestPki();
const server = pki.leaf('scheduling');
const client = pki.leaf('gateway');
const stranger = createTestPki('someone-else');
const strangerLeaf = stranger.leaf('intruder');
const tlsEnv = {
  GRPC_TLS_CERT_FILE: server.certFile,
  GRPC_TLS_KEY_FILE: server.keyFile,
  GRPC_TLS_CA_FILE: pki.caFile,
};

const running: GrpcServer[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((s) => s.drain({ graceMs: 100 })));
});
afterAll(() => {
  for (const dir of [pki.dir, stranger.dir]) rmSync(dir, { recursive: true, force: true });
});

/** A server configured only by the environment, as the chart configures the services. */
async function startFromEnv(env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const issuer = await createTestIssuer();
  const grpc = createGrpcServer({
    serviceName: 'echo',
    verifier: createTokenVerifier(issuer.verifierOptions()),
  });
  grpc.addService(EchoServiceService, echoHandlers);
  const port = await grpc.listen('127.0.0.1:0');
  grpc.markReady();
  running.push(grpc);
  vi.unstubAllEnvs();
  return { port, issuer };
}

const check = (port: number, channel = credentials.createInsecure()) =>
  new Promise<{ status?: HealthCheckResponse_ServingStatus; error?: ServiceError }>((resolve) => {
    const health = new HealthClient(`127.0.0.1:${port}`, channel, {
      'grpc.ssl_target_name_override': 'localhost',
    });
    health.check({ service: '' }, new Metadata(), { deadline: Date.now() + 3_000 }, (error, res) => {
      health.close();
      resolve(error ? { error } : { status: res.status });
    });
  });

/** Client credentials: mutual with `leaf`, or server-authenticated TLS only when it is undefined. */
const ssl = (leaf: { certFile: string; keyFile: string } | undefined, caFile = pki.caFile) =>
  leaf === undefined
    ? credentials.createSsl(readFileSync(caFile))
    : grpcTlsFromEnv({
        GRPC_TLS_CA_FILE: caFile,
        GRPC_TLS_CERT_FILE: leaf.certFile,
        GRPC_TLS_KEY_FILE: leaf.keyFile,
      })!.client;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

describe('mutual TLS between services, from GRPC_TLS_* in the environment', () => {
  it('serves a client that presents a certificate from the same CA', async () => {
    const { port } = await startFromEnv(tlsEnv);
    expect(await check(port, ssl(client))).toEqual({ status: HealthCheckResponse_ServingStatus.SERVING });
  });

  it('carries calls of createGrpcClient, which takes its credentials from the same variables', async () => {
    const { port, issuer } = await startFromEnv(tlsEnv);
    for (const [k, v] of Object.entries({
      ...tlsEnv,
      GRPC_TLS_CERT_FILE: client.certFile,
      GRPC_TLS_KEY_FILE: client.keyFile,
    }))
      vi.stubEnv(k, v);
    const token = await issuer.sign({ role: 'front_desk' });
    const echo = createGrpcClient(RawEchoClient, `localhost:${port}`, { getToken: () => token });
    vi.unstubAllEnvs();
    try {
      expect((await echo.echo({ message: 'over mTLS', delayMs: 0, failWith: '' })).message).toBe('over mTLS');
    } finally {
      echo.close();
    }
  });

  it.each([
    ['plaintext', () => credentials.createInsecure()],
    ['TLS without a client certificate', () => ssl(undefined)],
    ['a client certificate from another CA', () => ssl(strangerLeaf, stranger.caFile)],
  ])('refuses %s', async (_name, channel) => {
    const { port } = await startFromEnv(tlsEnv);
    const result = await check(port, channel());
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe(status.UNAVAILABLE);
  });

  it('answers kubelet probes on a plaintext health-only port (GRPC_HEALTH_PORT), and nothing else there', async () => {
    const healthPort = await freePort();
    await startFromEnv({ ...tlsEnv, GRPC_HEALTH_PORT: String(healthPort) });
    expect(await check(healthPort)).toEqual({ status: HealthCheckResponse_ServingStatus.SERVING });
    const echo = new RawEchoClient(`127.0.0.1:${healthPort}`, credentials.createInsecure());
    const error = await new Promise<ServiceError | null>((resolve) =>
      echo.echo({ message: 'x', delayMs: 0, failWith: '' }, (err) => resolve(err)),
    );
    echo.close();
    expect(error?.code).toBe(status.UNIMPLEMENTED);
  });

  it('stays plaintext when no GRPC_TLS_* is set (the embedded default)', async () => {
    const { port } = await startFromEnv({});
    expect(await check(port)).toEqual({ status: HealthCheckResponse_ServingStatus.SERVING });
  });

  it('refuses a half-configured TLS environment rather than fall back to plaintext', () => {
    expect(() => grpcTlsFromEnv({ GRPC_TLS_CERT_FILE: server.certFile })).toThrow(
      /GRPC_TLS_KEY_FILE, GRPC_TLS_CA_FILE not set/,
    );
  });
});
