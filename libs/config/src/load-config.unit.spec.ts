import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  baseServiceConfig,
  duration,
  grpcServerConfig,
  loadConfig,
  peerAddresses,
  requiredWhen,
  secret,
  tokenVerificationConfig,
} from './index.js';

const schema = z.object({
  ...baseServiceConfig,
  ...grpcServerConfig,
  ...tokenVerificationConfig,
  ...peerAddresses(['patient-record']),
  STRIPE_API_KEY: secret(),
  REMINDER_LEAD: duration('48h'),
});

const validEnv = {
  SERVICE_NAME: 'scheduling',
  DATABASE_URL: 'postgres://scheduling_app:pw@localhost:5432/medspa',
  IDENTITY_GRPC_ADDR: 'localhost:50050',
  PATIENT_RECORD_GRPC_ADDR: 'localhost:50052',
  STRIPE_API_KEY: 'sk_test_123',
};

function problemsOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and parses typed values', () => {
    const config = loadConfig(schema, validEnv);
    expect(config).toMatchObject({
      SERVICE_NAME: 'scheduling',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      TRANSPORT: 'postgres-tail',
      GRPC_PORT: 50051,
      KAFKA_SSL: false,
      OTEL_TRACES_SAMPLER_ARG: 1,
      REMINDER_LEAD: 48 * 3_600_000,
    });
    expect(config.METRICS_PORT).toBeUndefined();
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it('lists every problem at once, cross-key rules included', () => {
    const error = problemsOf(() =>
      loadConfig(schema, {
        SERVICE_NAME: 'scheduling',
        LOG_LEVEL: 'loud',
        GRPC_PORT: '70000',
        TRANSPORT: 'kafka',
        KAFKA_SASL_MECHANISM: 'plain',
        REMINDER_LEAD: 'two days',
        PATIENT_RECORD_GRPC_ADDR: 'not an address',
      }),
    );
    const keys = error.problems.map((p) => p.key).sort();
    expect(keys).toEqual(
      [
        'DATABASE_URL',
        'GRPC_PORT',
        'JWKS_URL | IDENTITY_GRPC_ADDR',
        'KAFKA_BROKERS',
        'KAFKA_SASL_PASSWORD',
        'KAFKA_SASL_USERNAME',
        'LOG_LEVEL',
        'PATIENT_RECORD_GRPC_ADDR',
        'REMINDER_LEAD',
        'STRIPE_API_KEY',
      ].sort(),
    );
    expect(error.problems).toContainEqual({ key: 'DATABASE_URL', message: 'is required' });
    expect(error.problems).toContainEqual({
      key: 'KAFKA_BROKERS',
      message: 'is required when TRANSPORT=kafka',
    });
    expect(error.message).toContain('10 problem(s)');
    expect(error.message).toContain('REMINDER_LEAD: must be a duration');
  });

  it('never echoes a value, even of a malformed secret or URL', () => {
    const canary = 'Canary-7f3a9';
    const error = problemsOf(() =>
      loadConfig(schema, {
        ...validEnv,
        DATABASE_URL: `mysql://app:${canary}@db/medspa`,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'relay',
        KAFKA_SASL_PASSWORD: '',
        STRIPE_API_KEY: '',
        REDIS_URL: `redis:${canary}`,
        KAFKA_BROKERS: `${canary}`,
        TRANSPORT: 'kafka',
      }),
    );
    expect(error.problems.map((p) => p.key)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'STRIPE_API_KEY', 'REDIS_URL']),
    );
    expect(error.message).not.toContain(canary);
    expect(JSON.stringify(error.problems)).not.toContain(canary);
  });

  it('treats a blank variable as unset', () => {
    const error = problemsOf(() => loadConfig(schema, { ...validEnv, DATABASE_URL: '  ', METRICS_PORT: '' }));
    expect(error.problems).toEqual([{ key: 'DATABASE_URL', message: 'is required' }]);
  });

  it('reads a secret from the file named by <KEY>_FILE, without its trailing newline', () => {
    const files: Record<string, string> = { '/run/secrets/stripe': 'sk_from_file\n' };
    const readFile = (path: string): string => {
      const contents = files[path];
      if (contents === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return contents;
    };
    const { STRIPE_API_KEY: _, ...rest } = validEnv;
    const config = loadConfig(schema, { ...rest, STRIPE_API_KEY_FILE: '/run/secrets/stripe' }, { readFile });
    expect(config.STRIPE_API_KEY).toBe('sk_from_file');

    const error = problemsOf(() =>
      loadConfig(
        schema,
        { ...validEnv, STRIPE_API_KEY_FILE: '/run/secrets/stripe', DATABASE_URL_FILE: '/missing' },
        { readFile },
      ),
    );
    expect(error.problems).toEqual([
      { key: 'DATABASE_URL', message: 'set either DATABASE_URL or DATABASE_URL_FILE, not both' },
      { key: 'STRIPE_API_KEY', message: 'set either STRIPE_API_KEY or STRIPE_API_KEY_FILE, not both' },
    ]);

    const missing = problemsOf(() =>
      loadConfig(schema, { ...rest, STRIPE_API_KEY_FILE: '/nowhere' }, { readFile }),
    );
    expect(missing.problems).toEqual([
      { key: 'STRIPE_API_KEY_FILE', message: 'cannot read the file (ENOENT)' },
    ]);
  });

  it('reads a real file by default', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'config-'));
    const path = join(dir, 'stripe');
    await writeFile(path, 'sk_real\n');
    const { STRIPE_API_KEY: _, ...rest } = validEnv;
    expect(loadConfig(schema, { ...rest, STRIPE_API_KEY_FILE: path }).STRIPE_API_KEY).toBe('sk_real');
  });

  it('applies service rules together with the rest', () => {
    const billing = z.object({
      ...baseServiceConfig,
      STRIPE_API_KEY: secret().optional(),
      STRIPE_WEBHOOK_SECRET: secret().optional(),
    });
    const rule = requiredWhen('STRIPE_WEBHOOK_SECRET', {
      keys: ['STRIPE_API_KEY'],
      holds: (raw) => raw.STRIPE_API_KEY !== undefined,
      because: 'STRIPE_API_KEY is set',
    });
    const error = problemsOf(() =>
      loadConfig(billing, { SERVICE_NAME: 'billing', STRIPE_API_KEY: 'sk' }, { rules: [rule] }),
    );
    expect(error.problems.map((p) => p.key)).toEqual(['DATABASE_URL', 'STRIPE_WEBHOOK_SECRET']);
  });
});
