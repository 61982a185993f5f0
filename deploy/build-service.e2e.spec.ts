import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Metadata, credentials } from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus, HealthClient } from '@medspa/contracts/grpc.health.v1';
import { provisionService } from '@medspa/db';
import { freePort, startPostgres, type RunningPostgres } from '@medspa/infra';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds services the way the Dockerfile does (deploy/build-service.sh: install, build, prune to
// production) and proves the output alone runs: `main.js migrate`, then `serve` reaching SERVING on
// grpc.health.v1, then SIGTERM and exit 0. The output lives outside the repo, so nothing resolves
// from the workspace's node_modules.

const execFileAsync = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
let work: string;
let postgres: RunningPostgres;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'medspa-build-'));
  // Postgres runs as the unprivileged `postgres` OS user, which must reach its data directory.
  await chmod(work, 0o755);
  postgres = await startPostgres({ dataDir: path.join(work, 'postgres') });
});

afterAll(async () => {
  await postgres?.stop();
  await rm(work, { recursive: true, force: true });
});

async function databaseFor(service: string) {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  const database = `image_${service.replaceAll('-', '_')}`;
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(postgres.url);
  url.pathname = `/${database}`;
  return provisionService(url.toString(), service, { ownerPassword: 'owner-pw', appPassword: 'app-pw' });
}

async function healthOf(port: number): Promise<HealthCheckResponse_ServingStatus | undefined> {
  const client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await new Promise((resolve) =>
      client.check({ service: '' }, new Metadata(), { deadline: Date.now() + 1_000 }, (err, res) =>
        resolve(err ? undefined : res.status),
      ),
    );
  } finally {
    client.close();
  }
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe.each([
  { service: 'identity', env: (dir: string) => ({ KMS_LOCAL_DIR: path.join(dir, 'kms') }) },
  {
    service: 'scheduling',
    env: () => ({
      GRPC_HOST: '127.0.0.1',
      JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      TOKEN_ISSUER: 'https://identity.medspa.local',
    }),
  },
])('$service built without Docker', ({ service, env }) => {
  it('migrates, serves until SERVING, and drains on SIGTERM with exit 0', async () => {
    const out = path.join(work, service);
    await execFileAsync('bash', [path.join(repo, 'deploy/build-service.sh'), service, out], {
      maxBuffer: 16 * 1024 * 1024,
    });

    // Production output only: JavaScript, no tests, no dev dependencies.
    expect(existsSync(path.join(out, 'main.js'))).toBe(true);
    expect(existsSync(path.join(out, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(path.join(out, 'node_modules', 'typescript'))).toBe(false);
    const files = (await readdir(path.join(out, 'services', service), { recursive: true })).map(String);
    expect(files.filter((f) => f.endsWith('.ts') || f.includes('.spec.'))).toEqual([]);

    const roles = await databaseFor(service);
    const base = { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn' };
    const migrate = await execFileAsync('node', ['main.js', 'migrate'], {
      cwd: out,
      env: { ...base, MIGRATION_DATABASE_URL: roles.ownerUrl, DATABASE_URL: roles.appUrl },
    });
    expect(migrate.stdout).toMatch(/applied|migrated/);

    const port = await freePort();
    const child = spawn('node', ['main.js', 'serve'], {
      cwd: out,
      env: { ...base, ...env(out), DATABASE_URL: roles.appUrl, GRPC_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = exitOf(child);
    try {
      const deadline = Date.now() + 60_000;
      let status: HealthCheckResponse_ServingStatus | undefined;
      while (Date.now() < deadline && child.exitCode === null) {
        status = await healthOf(port);
        if (status === HealthCheckResponse_ServingStatus.SERVING) break;
        await sleep(250);
      }
      expect(status, stderr).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
  });
});
