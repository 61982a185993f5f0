import { readFileSync, rmSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../libs/grpc/src/test-support/certs.js';
import { startRedis, type RunningRedis } from './redis.js';

// Redis over TLS only, reached the way the gateway reaches ElastiCache: a rediss:// REDIS_URL.
let pki: TestPki;
let redis: RunningRedis;

beforeAll(async () => {
  pki = createTestPki();
  redis = await startRedis({ tls: { ...pki.leaf('redis'), caFile: pki.caFile } });
});

afterAll(async () => {
  await redis?.stop();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const client = (url: string, options: RedisOptions = {}) =>
  new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true, ...options });

describe('Redis over TLS', () => {
  it('answers a rediss:// client that trusts the CA', async () => {
    expect(redis.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    const tls = client(redis.url, { tls: { ca: readFileSync(pki.caFile), servername: 'localhost' } });
    try {
      await tls.connect();
      expect(await tls.ping()).toBe('PONG');
    } finally {
      tls.disconnect();
    }
  });

  it('does not answer plaintext on the same port', async () => {
    const plain = client(redis.url.replace('rediss://', 'redis://'), { connectTimeout: 2_000 });
    plain.on('error', () => undefined);
    try {
      await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    } finally {
      plain.disconnect();
    }
  });
});
