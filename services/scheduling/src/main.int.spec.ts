import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { createGrpcClient } from '@medspa/grpc';
import {
  createServiceDatabase,
  createTestIssuer,
  type JwksServer,
  type ServiceDatabase,
  type TestIssuer,
} from '@medspa/testing';
import { migrations } from '../migrations/index.js';

// node with tsx's loader (not the tsx CLI, whose signal relay races): SIGTERM must reach main.ts.
const node = [process.execPath, '--import', 'tsx'] as const;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let db: ServiceDatabase;
let issuer: TestIssuer;
let jwks: JwksServer;
beforeAll(async () => {
  db = await createServiceDatabase('scheduling', migrations);
  issuer = await createTestIssuer();
  jwks = await issuer.serveJwks();
});
afterAll(async () => {
  await jwks?.close();
  await db?.drop();
});

describe('main.ts', () => {
  it('migrates idempotently, serves with tokens checked against a JWKS, and drains on SIGTERM', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: db.appUrl,
      MIGRATION_DATABASE_URL: db.ownerUrl,
      JWKS_URL: jwks.url,
      TOKEN_ISSUER: issuer.issuer,
      LOG_LEVEL: 'silent',
    };
    const run = (...args: string[]) =>
      spawnSync(node[0], [...node.slice(1), main, ...args], { env, encoding: 'utf8', cwd: repoRoot });
    const migrated = run('migrate');
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toContain('0 applied');
    const rebuilt = run('rebuild', 'appointments');
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toContain('rebuilding appointments');
    const unknown = run('rebuild', 'no_such_model');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(
      'unknown projection no_such_model; one of: catalogue, calendar_holds, appointments',
    );

    const port = await freePort();
    const child = spawn(node[0], [...node.slice(1), main, 'serve'], {
      env: { ...env, GRPC_PORT: String(port) },
      stdio: 'ignore',
      cwd: repoRoot,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const token = await issuer.sign({ tenantId: randomUUID(), role: 'owner' });
    const client = createGrpcClient(SchedulingServiceClient, `127.0.0.1:${port}`, {
      deadlineMs: 2_000,
      getToken: () => token,
    });
    try {
      const locationId = randomUUID();
      let registered: string | undefined;
      for (let i = 0; i < 100 && registered === undefined; i++) {
        registered = await client
          .registerLocation({ locationId, name: 'SoHo', timeZone: 'America/New_York', openingHours: [] })
          .then(
            (r) => r.locationId,
            () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)),
          );
      }
      expect(registered).toBe(locationId);
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
