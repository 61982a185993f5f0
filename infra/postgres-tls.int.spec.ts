import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@medspa/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestPki, type TestPki } from '../libs/grpc/src/test-support/certs.js';
import { startPostgres, type RunningPostgres } from './postgres.js';

// PostgreSQL with TLS, reached the way the cluster reaches RDS: sslmode=verify-full in the URL,
// the CA from sslrootcert (node-postgres reads both from the URL).
let dir: string;
let pki: TestPki;
let other: TestPki;
let postgres: RunningPostgres;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'medspa-pg-tls-'));
  await chmod(dir, 0o755); // Postgres runs as the `postgres` OS user
  pki = createTestPki();
  other = createTestPki('another-ca');
  postgres = await startPostgres({ dataDir: path.join(dir, 'data'), tls: pki.leaf('postgres') });
});

afterAll(async () => {
  await postgres?.stop();
  for (const d of [dir, pki?.dir, other?.dir]) if (d) await rm(d, { recursive: true, force: true });
});

const withTls = (params: Record<string, string>) => {
  const url = new URL(postgres.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
};

afterEach(() => vi.unstubAllEnvs());

describe('PostgreSQL over TLS', () => {
  it('accepts sslmode=verify-full against the CA that signed the server certificate', async () => {
    const pool = createPool(withTls({ sslmode: 'verify-full', sslrootcert: pki.caFile }), { max: 1 });
    try {
      const { rows } = await pool.query<{ ssl: boolean; version: string }>(
        'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      expect(rows[0]?.ssl).toBe(true);
      expect(rows[0]?.version).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await pool.end();
    }
  });

  it('refuses a server whose certificate another CA signed (verify-full verifies)', async () => {
    const pool = createPool(withTls({ sslmode: 'verify-full', sslrootcert: other.caFile }), { max: 1 });
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/certificate/i);
    } finally {
      await pool.end();
    }
  });

  it('honours PGSSLMODE=verify-full for a URL that names no sslmode (what the chart sets)', async () => {
    // The server also takes plaintext, so only the environment makes the client insist on a
    // verified certificate; this CA is not trusted through the environment, hence the refusal.
    vi.stubEnv('PGSSLMODE', 'verify-full');
    const pool = createPool(postgres.url, { max: 1 });
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/certificate/i);
    } finally {
      await pool.end();
    }
    vi.unstubAllEnvs();
    const plain = createPool(postgres.url, { max: 1 });
    try {
      expect(
        (await plain.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))
          .rows[0]?.ssl,
      ).toBe(false);
    } finally {
      await plain.end();
    }
  });
});
