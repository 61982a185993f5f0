import { createLogger } from '@medspa/observability';
import { describe, expect, it } from 'vitest';
import { buildGateway } from './app.js';

const noKeys = { getJwks: () => Promise.resolve({ keys: [] }) };
const config = { BODY_LIMIT_BYTES: 1024, JWKS_CACHE_TTL: 30_000 };

const build = (ready = true) =>
  buildGateway({
    config,
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    isReady: () => ready,
    jwks: noKeys,
  });

describe('gateway skeleton', () => {
  it('answers liveness and readiness', async () => {
    const app = await build();
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const draining = await build(false);
    expect((await draining.inject({ url: '/readyz' })).statusCode).toBe(503);
  });

  it('answers unknown routes with problem+json and security headers', async () => {
    const app = await build();
    const res = await app.inject({ url: '/nope', headers: { 'x-request-id': 'req-12345678' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', instance: 'req-12345678' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('replaces a malformed request id instead of echoing it', async () => {
    const app = await build();
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nforged' } });
    expect(res.headers['x-request-id']).not.toContain('forged');
  });
});

describe('gateway request logging', () => {
  it('logs the path without its query string', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'gateway',
      level: 'info',
      destination: { write: (l: string) => void lines.push(l) },
    });
    const app = await buildGateway({ config, logger, isReady: () => true, jwks: noKeys });
    await app.inject({ url: '/healthz?name=CANARY-query-name' });
    expect(lines.join('')).toContain('/healthz');
    expect(lines.join('')).not.toContain('CANARY-query-name');
  });
});
