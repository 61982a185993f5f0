import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServingStatus } from '@medspa/grpc';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from './free-port.js';
import { checkGrpcHealth } from './run/grpc-health.js';
import { envPrefix, LOCAL_SERVICES } from './run/local-services.js';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'medspa-run-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('timed out');
}

const ALL_GRPC = [
  'IDENTITY',
  'SCHEDULING',
  'PATIENT_RECORD',
  'BILLING',
  'NOTIFICATION',
  'AI',
  'TRANSCRIPTION',
  'AUDIT',
];
const grpcServices = LOCAL_SERVICES.filter((s) => s.grpc).map((s) => s.name);

describe('make run (infra/run.ts)', () => {
  it('starts every service, each reports SERVING, the gateway serves the keys, SIGTERM stops all', async () => {
    const [gatewayPort, ...grpcPorts] = await freePorts(1 + grpcServices.length);
    const grpcAddress = new Map(grpcServices.map((name, i) => [name, `127.0.0.1:${grpcPorts[i]}`]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MEDSPA_DATA_DIR: dataDir,
      GATEWAY_HTTP_PORT: String(gatewayPort),
      LOG_LEVEL: 'warn',
    };
    for (const key of ['POSTGRES_PORT', 'REDIS_PORT', ...ALL_GRPC.map((s) => `${s}_GRPC_PORT`)]) env[key] = '0';
    grpcServices.forEach((name, i) => (env[`${envPrefix(name)}_GRPC_PORT`] = String(grpcPorts[i])));
    const run = spawn(process.execPath, ['--import', 'tsx', 'infra/run.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout.on('data', (d: Buffer) => (output += d.toString()));
    run.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
    void exited.then((code) => (exitCode = code));
    const gateway = `http://127.0.0.1:${gatewayPort}`;

    try {
      await waitFor(async () => {
        if (exitCode !== undefined) throw new Error(`exited with ${exitCode}`);
        return output.includes('The medspa platform is running');
      }, 80_000);
      const health = await fetch(`${gateway}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      expect(grpcServices).toEqual(expect.arrayContaining(['identity', 'patient-record', 'audit']));
      for (const name of grpcServices) {
        expect(await checkGrpcHealth(grpcAddress.get(name)!), name).toBe(ServingStatus.SERVING);
      }

      const jwks = await fetch(`${gateway}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      const { keys } = (await jwks.json()) as { keys: { kty: string; crv: string; kid: string }[] };
      expect(keys.length).toBeGreaterThan(0);
      expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });

      // The demo clinic: created on the first start, its generated passwords only in 0600 files.
      const demo = path.join(dataDir, 'demo-clinic.json');
      expect(statSync(demo).mode & 0o777).toBe(0o600);
      const signIn = JSON.parse(readFileSync(demo, 'utf8')) as { tenantId: string; password: string };
      expect(signIn.password.length).toBeGreaterThanOrEqual(16);
      const seeded = path.join(dataDir, 'demo-data.json');
      expect(statSync(seeded).mode & 0o777).toBe(0o600);
      const data = JSON.parse(readFileSync(seeded, 'utf8')) as {
        staff: { role: string; email: string }[];
        providerIds: string[];
        treatmentIds: string[];
        patientIds: string[];
      };
      expect(data.staff.map((s) => s.role).sort()).toEqual(
        ['billing', 'compliance_officer', 'front_desk', 'manager', 'provider', 'provider'].sort(),
      );
      expect(data.providerIds).toHaveLength(2);
      expect(data.treatmentIds).toHaveLength(4);
      expect(data.patientIds).toHaveLength(3);
      expect(output).toContain(`tenant ${signIn.tenantId}`);
      for (const s of data.staff) expect(output).toContain(s.email);
      // Passwords are in the file, never on the console (which ends up in terminals and CI logs).
      expect(output).not.toContain(signIn.password);
    } catch (error) {
      // SIGTERM first, so the supervisor stops its children and PostgreSQL rather than orphan them.
      run.kill('SIGTERM');
      const killer = setTimeout(() => run.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      throw new Error(`make run did not come up:\n${output.slice(-6000)}`, { cause: error });
    }

    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    await expect(fetch(`${gateway}/healthz`)).rejects.toThrow();
    for (const name of grpcServices) {
      expect(await checkGrpcHealth(grpcAddress.get(name)!, 1_000), name).toBeInstanceOf(Error);
    }
  });
});
