import { errors } from '@medspa/errors';
import { createLogger } from '@medspa/observability';
import { describe, expect, it } from 'vitest';
import { buildGateway } from '../app.js';
import { loadGatewayConfig } from '../config.js';
import type { Jwk, JwksSource } from './jwks.js';

const key = (kid: string): Jwk => ({
  kty: 'OKP',
  crv: 'Ed25519',
  x: `x-${kid}`,
  kid,
  alg: 'EdDSA',
  use: 'sig',
});

/** A fake of identity's GetJwks: counts calls, answers with the current keys or fails. */
function fakeIdentity() {
  const fake: { calls: number; keys: Jwk[]; down: boolean; source: JwksSource } = {
    calls: 0,
    keys: [key('k1')],
    down: false,
    source: {
      getJwks: async () => {
        fake.calls += 1;
        if (fake.down) throw errors.unavailable('IDENTITY_UNAVAILABLE', 'identity is not answering');
        return { keys: [...fake.keys] };
      },
    },
  };
  return fake;
}

async function gateway(source: JwksSource, clock: { now: number }) {
  return buildGateway({
    config: { BODY_LIMIT_BYTES: 1024, JWKS_CACHE_TTL: 30_000 },
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    isReady: () => true,
    jwks: source,
    now: () => clock.now,
  });
}

describe('GET /.well-known/jwks.json', () => {
  it("serves identity's keys as a JWK set that verifiers may cache briefly", async () => {
    const identity = fakeIdentity();
    const app = await gateway(identity.source, { now: 0 });
    const res = await app.inject({ url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/jwk-set+json');
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    expect(res.json()).toEqual({ keys: [key('k1')] });
  });

  it('asks identity at most once per TTL, and again once it has passed', async () => {
    const identity = fakeIdentity();
    const clock = { now: 1_000 };
    const app = await gateway(identity.source, clock);
    await Promise.all([1, 2, 3].map(() => app.inject({ url: '/.well-known/jwks.json' })));
    expect(identity.calls).toBe(1);

    identity.keys = [key('k2'), key('k1')];
    clock.now += 29_999;
    expect((await app.inject({ url: '/.well-known/jwks.json' })).json()).toEqual({ keys: [key('k1')] });
    clock.now += 1;
    expect((await app.inject({ url: '/.well-known/jwks.json' })).json()).toEqual({
      keys: [key('k2'), key('k1')],
    });
    expect(identity.calls).toBe(2);
  });

  it('answers 503 problem+json while identity is down, serves no stale set, and recovers', async () => {
    const identity = fakeIdentity();
    const clock = { now: 0 };
    const app = await gateway(identity.source, clock);
    await app.inject({ url: '/.well-known/jwks.json' });
    identity.down = true;
    clock.now += 30_000;
    const down = await app.inject({ url: '/.well-known/jwks.json' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(down.headers['cache-control']).toBe('no-store');
    identity.down = false;
    expect((await app.inject({ url: '/.well-known/jwks.json' })).statusCode).toBe(200);
    expect(identity.calls).toBe(3);
  });
});

describe('gateway config', () => {
  it("fails fast without identity's address, naming the key", () => {
    expect(() => loadGatewayConfig({})).toThrow(/IDENTITY_GRPC_ADDR/);
    const peers = {
      IDENTITY_GRPC_ADDR: '127.0.0.1:50051',
      SCHEDULING_GRPC_ADDR: '127.0.0.1:50052',
      PATIENT_RECORD_GRPC_ADDR: '127.0.0.1:50053',
      AUDIT_GRPC_ADDR: '127.0.0.1:50054',
      NODE_ENV: 'development',
    };
    const config = loadGatewayConfig(peers);
    expect(config).toMatchObject({
      JWKS_CACHE_TTL: 30_000,
      SESSION_IDLE_TIMEOUT: 900_000,
      UPSTREAM_DEADLINE: 10_000,
    });
    expect(config.CORS_ORIGINS).toBeUndefined();
    expect(() => loadGatewayConfig({ ...peers, JWKS_CACHE_TTL: 'soon' })).toThrow(/JWKS_CACHE_TTL/);
    expect(() => loadGatewayConfig({ ...peers, CORS_ORIGINS: 'not a url' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadGatewayConfig({ IDENTITY_GRPC_ADDR: '127.0.0.1:50051' })).toThrow(
      /SCHEDULING_GRPC_ADDR[\s\S]*PATIENT_RECORD_GRPC_ADDR[\s\S]*AUDIT_GRPC_ADDR/,
    );
  });
});
