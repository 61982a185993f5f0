import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityServiceClient } from '@medspa/contracts/medspa.identity.v1';
import { createGrpcClient } from '@medspa/grpc';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { migrations } from '../migrations/index.js';

// node with tsx's loader rather than the tsx CLI, whose signal relay races under load: SIGTERM
// must reach the service's own handler, as it does in a container.
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
let kmsDir: string;
beforeAll(async () => {
  db = await createServiceDatabase('identity', migrations);
  kmsDir = mkdtempSync(path.join(tmpdir(), 'identity-main-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(kmsDir, { recursive: true, force: true });
});

describe('main.ts', () => {
  it('migrates idempotently, bootstraps a clinic, serves sign-in and GetJwks, and drains on SIGTERM', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: db.appUrl,
      MIGRATION_DATABASE_URL: db.ownerUrl,
      KMS_LOCAL_DIR: kmsDir,
      LOG_LEVEL: 'silent',
    };
    const migrated = spawnSync(node[0], [...node.slice(1), main, 'migrate'], {
      env,
      encoding: 'utf8',
      cwd: repoRoot,
    });
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toContain('applied 0 migration(s)');

    const created = spawnSync(
      node[0],
      [
        ...node.slice(1),
        main,
        'create-tenant',
        '--name',
        'Glow Clinic',
        '--owner-email',
        'owner@glow.example',
      ],
      { env: { ...env, OWNER_PASSWORD: 'a sturdy passphrase for staff' }, encoding: 'utf8', cwd: repoRoot },
    );
    expect(created.status).toBe(0);
    const { tenantId } = JSON.parse(created.stdout) as { tenantId: string };

    const port = await freePort();
    const child = spawn(node[0], [...node.slice(1), main, 'serve'], {
      env: { ...env, GRPC_PORT: String(port) },
      stdio: 'ignore',
      cwd: repoRoot,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const client = createGrpcClient(IdentityServiceClient, `127.0.0.1:${port}`, { deadlineMs: 2_000 });
    try {
      let keys: number | undefined;
      for (let i = 0; i < 100 && keys === undefined; i++) {
        keys = await client.getJwks({}).then(
          (r) => r.keys.length,
          () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)),
        );
      }
      expect(keys).toBe(2);
      const signedIn = await client.signIn({
        tenantId,
        email: 'owner@glow.example',
        password: 'a sturdy passphrase for staff',
      });
      expect(signedIn.result?.$case).toBe('enrolmentRequired');
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
