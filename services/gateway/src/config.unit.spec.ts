import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.js';

const peers = {
  IDENTITY_GRPC_ADDR: '127.0.0.1:50051',
  SCHEDULING_GRPC_ADDR: '127.0.0.1:50052',
  PATIENT_RECORD_GRPC_ADDR: '127.0.0.1:50053',
  AUDIT_GRPC_ADDR: '127.0.0.1:50054',
};
const key = (bytes: number) => randomBytes(bytes).toString('base64');

describe('gateway config: rate limits, idempotency keys, signals', () => {
  it('requires the shared keys and the consumer database in production, naming each key', () => {
    const run = () => loadGatewayConfig({ ...peers, NODE_ENV: 'production' });
    expect(run).toThrow(/RATE_LIMIT_KEY_SECRET[\s\S]*IDEMPOTENCY_SEAL_KEY[\s\S]*DATABASE_URL/);
    const config = loadGatewayConfig({
      ...peers,
      NODE_ENV: 'production',
      RATE_LIMIT_KEY_SECRET: key(48),
      IDEMPOTENCY_SEAL_KEY: key(32),
      DATABASE_URL: 'postgres://gateway_app:pw@db:5432/medspa',
    });
    expect(config.RATE_LIMIT_KEY_SECRET?.length).toBe(48);
    expect(config.IDEMPOTENCY_SEAL_KEY?.length).toBe(32);
  });

  it('refuses keys of the wrong size without echoing them', () => {
    const short = key(16);
    const run = () =>
      loadGatewayConfig({ ...peers, RATE_LIMIT_KEY_SECRET: short, IDEMPOTENCY_SEAL_KEY: key(48) });
    expect(run).toThrow(/RATE_LIMIT_KEY_SECRET[\s\S]*IDEMPOTENCY_SEAL_KEY/);
    expect(run).not.toThrow(short);
  });

  it('has the documented defaults and lets a benchmark raise every limit', () => {
    const defaults = loadGatewayConfig({ ...peers, NODE_ENV: 'development' });
    expect(defaults).toMatchObject({
      TRUST_PROXY: false,
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_PER_CLIENT: 600,
      RATE_LIMIT_WINDOW: 60_000,
      RATE_LIMIT_SIGN_IN_PER_IP: 20,
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 10,
      IDEMPOTENCY_TTL: 86_400_000,
      TRANSPORT: 'postgres-tail',
    });
    const raised = loadGatewayConfig({
      ...peers,
      NODE_ENV: 'development',
      RATE_LIMIT_PER_CLIENT: '1000000',
      RATE_LIMIT_SIGN_IN_PER_IP: '1000000',
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '1000000',
      RATE_LIMIT_MFA_PER_IP: '1000000',
      RATE_LIMIT_MFA_PER_CHALLENGE: '1000000',
      RATE_LIMIT_REFRESH_PER_IP: '1000000',
      TRUST_PROXY: '1',
      RATE_LIMIT_ENABLED: 'false',
    });
    expect(raised).toMatchObject({
      RATE_LIMIT_PER_CLIENT: 1_000_000,
      RATE_LIMIT_SIGN_IN_PER_IP: 1_000_000,
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 1_000_000,
      RATE_LIMIT_REFRESH_PER_IP: 1_000_000,
      TRUST_PROXY: 1,
      RATE_LIMIT_ENABLED: false,
    });
    expect(
      loadGatewayConfig({ ...peers, NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadGatewayConfig({ ...peers, NODE_ENV: 'test', RATE_LIMIT_PER_CLIENT: '0' })).toThrow(
      /RATE_LIMIT_PER_CLIENT/,
    );
  });
});
