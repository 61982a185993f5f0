import { randomUUID } from 'node:crypto';
import { Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import type { EchoRequest, EchoResponse } from '@medspa/contracts/medspa.testing.v1';
import { ERROR_REASON_KEY } from '@medspa/errors';
import { createTestIssuer, type TestIssuer } from '../../testing/src/tokens.js';
import { EchoServiceClient, startEchoServer, type RunningEchoServer } from './test-support/echo-server.js';

const running: RunningEchoServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.server.drain({ graceMs: 100 })));
});

async function setup(): Promise<{ issuer: TestIssuer; echo: RunningEchoServer; client: EchoServiceClient }> {
  const issuer = await createTestIssuer();
  const echo = await startEchoServer(createTokenVerifier(issuer.verifierOptions()));
  running.push(echo);
  return { issuer, echo, client: new EchoServiceClient(echo.address, credentials.createInsecure()) };
}

/** A raw call, so tests control every header (including ones a well-behaved client never sends). */
function rawEcho(
  client: EchoServiceClient,
  headers: Record<string, string>,
  request: Partial<EchoRequest> = {},
): Promise<{ response?: EchoResponse; error?: ServiceError; headers?: Metadata }> {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
  const full: EchoRequest = { message: 'hello', delayMs: 0, failWith: '', ...request };
  return new Promise((resolve) => {
    let responseHeaders: Metadata | undefined;
    const call = client.echo(full, metadata, (error, response) =>
      resolve(
        error
          ? { error, ...(responseHeaders && { headers: responseHeaders }) }
          : { response, headers: responseHeaders! },
      ),
    );
    call.on('metadata', (md: Metadata) => (responseHeaders = md));
  });
}

const reasonOf = (error: ServiceError | undefined) => error?.metadata.get(ERROR_REASON_KEY)[0];

describe('gRPC server kit: authentication and tenancy', () => {
  it('serves a call with a valid token, taking the tenant from the token', async () => {
    const { issuer, client } = await setup();
    const tenantId = randomUUID();
    const token = await issuer.sign({ userId: 'desk-1', tenantId, role: 'front_desk' });
    const { response, headers } = await rawEcho(client, {
      authorization: `Bearer ${token}`,
      'x-request-id': 'req-123',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(response).toEqual({
      message: 'hello',
      tenantId,
      userId: 'desk-1',
      role: 'front_desk',
      requestId: 'req-123',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(headers?.get('x-request-id')).toEqual(['req-123']);
  });

  it('ignores a tenant header: another tenant is reachable only with that tenant’s token', async () => {
    const { issuer, client } = await setup();
    const mine = randomUUID();
    const theirs = randomUUID();
    const token = await issuer.sign({ tenantId: mine });
    const { response } = await rawEcho(client, { authorization: `Bearer ${token}`, 'x-tenant-id': theirs });
    expect(response?.tenantId).toBe(mine);
    const theirToken = await issuer.sign({ tenantId: theirs });
    expect((await rawEcho(client, { authorization: `Bearer ${theirToken}` })).response?.tenantId).toBe(
      theirs,
    );
  });

  it('refuses a call without a token, with a tampered token and with a foreign key', async () => {
    const { issuer, client } = await setup();
    const missing = await rawEcho(client, {});
    expect(missing.error?.code).toBe(status.UNAUTHENTICATED);
    expect(reasonOf(missing.error)).toBe('TOKEN_MISSING');

    const token = await issuer.sign({ role: 'front_desk' });
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: randomUUID() })).toString('base64url');
    const tampered = await rawEcho(client, { authorization: `Bearer ${h}.${forged}.${s}` });
    expect(tampered.error?.code).toBe(status.UNAUTHENTICATED);
    expect(reasonOf(tampered.error)).toBe('TOKEN_INVALID');

    const stranger = await createTestIssuer({ issuer: issuer.issuer });
    const foreign = await rawEcho(client, { authorization: `Bearer ${await stranger.sign()}` });
    expect(reasonOf(foreign.error)).toBe('TOKEN_UNKNOWN_KEY');

    const basic = await rawEcho(client, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(reasonOf(basic.error)).toBe('TOKEN_MALFORMED');
  });

  it('refuses an expired token with its own reason', async () => {
    const { issuer, client } = await setup();
    const { error } = await rawEcho(client, {
      authorization: `Bearer ${await issuer.sign({ expiresIn: -60 })}`,
    });
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(reasonOf(error)).toBe('TOKEN_EXPIRED');
  });

  it('maps a missing permission to PERMISSION_DENIED', async () => {
    const { issuer, client } = await setup();
    const token = await issuer.sign({ role: 'compliance_officer' });
    const { error } = await rawEcho(client, { authorization: `Bearer ${token}` });
    expect(error?.code).toBe(status.PERMISSION_DENIED);
    expect(reasonOf(error)).toBe('PERMISSION_DENIED');
  });

  it('maps AppErrors to their code and hides the message of unknown errors', async () => {
    const { issuer, client } = await setup();
    const auth = { authorization: `Bearer ${await issuer.sign()}` };
    const notFound = await rawEcho(client, auth, { failWith: 'not_found' });
    expect(notFound.error?.code).toBe(status.NOT_FOUND);
    expect(reasonOf(notFound.error)).toBe('ECHO_NOT_FOUND');
    const crash = await rawEcho(client, auth, { failWith: 'Jane Canary, DOB 1980-01-01' });
    expect(crash.error?.code).toBe(status.INTERNAL);
    expect(crash.error?.details).not.toContain('Canary');
  });

  it('generates a request id when the caller sends none (or an unusable one)', async () => {
    const { issuer, client } = await setup();
    const auth = `Bearer ${await issuer.sign()}`;
    const none = await rawEcho(client, { authorization: auth });
    expect(none.response?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const injected = await rawEcho(client, {
      authorization: auth,
      'x-request-id': 'x" {"level":60,"msg":"forged"}',
    });
    expect(injected.response?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
