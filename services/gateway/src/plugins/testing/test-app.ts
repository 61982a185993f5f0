import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { redisUrl } from '@medspa/testing';
import { registerProblemHandler } from '../../http/problem-handler.js';

/** A bare gateway-like app (zod compilers, problem+json) for plugin tests; the lead wires app.ts. */
export function testApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  return app;
}

/** A client of the test Redis. */
export const testRedis = (): Redis => new Redis(redisUrl(), { lazyConnect: false });

/** A client of a Redis that is not there: every command fails at once, as during an outage. */
export function absentRedis(): Redis {
  const redis = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  return redis;
}

export const secret = (): Buffer => randomBytes(32);

/** Every key under `prefix` with its value (strings and hashes), as text, for canary scans. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const lines: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : `<${type}>`;
      lines.push(`${key} ${value ?? ''}`);
    }
  } while (cursor !== '0');
  return lines.join('\n');
}
