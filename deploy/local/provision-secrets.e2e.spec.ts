import { createPrivateKey } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgres, type RunningPostgres } from '@medspa/infra';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseSecret, keySecrets } from './provision-secrets.js';

// What deploy/local/create-secrets.sh applies to a local cluster, made against a real PostgreSQL.
let dir: string;
let postgres: RunningPostgres;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'medspa-secrets-'));
  await chmod(dir, 0o755); // Postgres runs as the `postgres` OS user
  postgres = await startPostgres({ dataDir: path.join(dir, 'data') });
});

afterAll(async () => {
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the local cluster Secrets', () => {
  it('hold working URLs of each service’s own roles, addressed to the in-cluster host', async () => {
    const manifest = await databaseSecret({
      adminUrl: postgres.url,
      clusterHost: 'medspa-pg-rw.medspa-data.svc:5432',
      redisUrl: 'redis://medspa-redis-master.medspa-data.svc:6379',
      namespace: 'medspa',
    });
    expect(Object.keys(manifest.stringData).sort()).toEqual(
      [
        'AUDIT_DATABASE_URL',
        'AUDIT_MIGRATION_DATABASE_URL',
        'GATEWAY_DATABASE_URL',
        'GATEWAY_IDEMPOTENCY_SEAL_KEY',
        'GATEWAY_MIGRATION_DATABASE_URL',
        'GATEWAY_RATE_LIMIT_KEY_SECRET',
        'IDENTITY_DATABASE_URL',
        'IDENTITY_MIGRATION_DATABASE_URL',
        'PATIENT_RECORD_DATABASE_URL',
        'PATIENT_RECORD_MIGRATION_DATABASE_URL',
        'REDIS_URL',
        'SCHEDULING_DATABASE_URL',
        'SCHEDULING_MIGRATION_DATABASE_URL',
      ].sort(),
    );
    for (const key of ['GATEWAY_IDEMPOTENCY_SEAL_KEY', 'GATEWAY_RATE_LIMIT_KEY_SECRET'])
      expect(Buffer.from(manifest.stringData[key]!, 'base64'), key).toHaveLength(32);
    const appUrl = new URL(manifest.stringData.PATIENT_RECORD_DATABASE_URL!);
    expect(appUrl.host).toBe('medspa-pg-rw.medspa-data.svc:5432');
    appUrl.host = `127.0.0.1:${postgres.port}`;
    const client = new pg.Client({ connectionString: appUrl.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      expect(rows[0]?.user).toBe('patient_record_app');
    } finally {
      await client.end();
    }
  });

  it('carry fresh KEKs in the local KMS format and an Ed25519 signing key', () => {
    const [kms, audit] = keySecrets('medspa');
    const kek = JSON.parse(kms?.stringData['identity-kek.json'] ?? '{}') as {
      format: number;
      keyId: string;
      versions: { key: string }[];
    };
    expect(kek).toMatchObject({ format: 1, keyId: 'identity-kek' });
    expect(Buffer.from(kek.versions[0]?.key ?? '', 'base64')).toHaveLength(32);
    expect(kms?.stringData['patient-record-kek.json']).not.toEqual(kms?.stringData['identity-kek.json']);
    expect(createPrivateKey(audit?.stringData['signing-key.pem'] ?? '').asymmetricKeyType).toBe('ed25519');
  });
});
