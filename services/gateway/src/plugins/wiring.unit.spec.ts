import { randomUUID } from 'node:crypto';
import { createTokenVerifier } from '@medspa/auth';
import { createLogger } from '@medspa/observability';
import { createTestIssuer } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import { buildGateway } from '../app.js';
import { createMemorySessionGuard } from '../session/session-guard.js';
import type { Upstreams } from '../upstream/clients.js';

// buildGateway wires the rate limits from its config (in process without Redis) and CORS exposes
// their headers and the idempotent replay marker to the web apps.
async function gateway(config: {
  RATE_LIMIT_ENABLED?: boolean;
  RATE_LIMIT_PER_CLIENT?: number;
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT?: number;
}) {
  const issuer = await createTestIssuer();
  const upstream = { identity: { signIn: () => Promise.resolve({}) } } as unknown as Upstreams;
  return buildGateway({
    config: {
      BODY_LIMIT_BYTES: 4096,
      JWKS_CACHE_TTL: 30_000,
      CORS_ORIGINS: ['https://staff.example.test'],
      ...config,
    },
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    isReady: () => true,
    jwks: { getJwks: () => Promise.resolve({ keys: [] }) },
    api: {
      upstream,
      verifier: createTokenVerifier(issuer.verifierOptions()),
      sessions: createMemorySessionGuard({ idleMs: 900_000, retainMs: 86_400_000 }),
    },
  });
}

describe('rate limits as buildGateway wires them', () => {
  it('refuses a fourth sign-in for one account with 429 and Retry-After, from the config', async () => {
    const app = await gateway({ RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 3 });
    const body = { tenantId: randomUUID(), email: 'ada@clinic.example', password: 'not it' };
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: body });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(last?.statusCode).toBe(429);
    expect(last?.headers['retry-after']).toMatch(/^\d+$/);
    expect(last?.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // Another account from the same address is not affected by the account counter.
    const other = await app.inject({
      method: 'POST',
      url: '/v1/auth/sign-in',
      payload: { ...body, email: 'grace@clinic.example' },
    });
    expect(other.statusCode).not.toBe(429);
    await app.close();
  });

  it('limits every route per client, exempting the probes and the key set', async () => {
    const app = await gateway({ RATE_LIMIT_PER_CLIENT: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const cors = await app.inject({
      method: 'GET',
      url: '/readyz',
      headers: { origin: 'https://staff.example.test' },
    });
    const exposed = String(cors.headers['access-control-expose-headers']);
    for (const header of ['idempotent-replayed', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'])
      expect(exposed).toContain(header);
    await app.close();
  });

  it('applies no limit when RATE_LIMIT_ENABLED is false (a benchmark from one address)', async () => {
    const app = await gateway({
      RATE_LIMIT_ENABLED: false,
      RATE_LIMIT_PER_CLIENT: 1,
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 1,
    });
    const body = { tenantId: randomUUID(), email: 'ada@clinic.example', password: 'not it' };
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: body });
      expect(res.statusCode).not.toBe(429);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    await app.close();
  });
});
