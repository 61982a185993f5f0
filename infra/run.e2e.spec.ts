import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';

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

describe('make run (infra/run.ts)', () => {
  it('starts every service, serves the gateway health endpoint, and stops cleanly on SIGTERM', async () => {
    const gatewayPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MEDSPA_DATA_DIR: dataDir,
      GATEWAY_HTTP_PORT: String(gatewayPort),
    };
    for (const key of [
      'POSTGRES_PORT',
      ...[
        'IDENTITY',
        'SCHEDULING',
        'PATIENT_RECORD',
        'BILLING',
        'NOTIFICATION',
        'AI',
        'TRANSCRIPTION',
        'AUDIT',
      ].map((s) => `${s}_GRPC_PORT`),
    ]) {
      env[key] = '0';
    }
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

    try {
      await waitFor(async () => {
        if (exitCode !== undefined) throw new Error(`exited with ${exitCode}`);
        return output.includes('The medspa platform is running');
      }, 120_000);
      const health = await fetch(`http://127.0.0.1:${gatewayPort}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    } catch (error) {
      run.kill('SIGKILL');
      throw new Error(`make run did not come up:\n${output.slice(-4000)}`, { cause: error });
    }

    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).rejects.toThrow();
  });
});
