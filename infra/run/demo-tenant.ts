import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface DemoSignIn {
  clinic: string;
  tenantId: string;
  email: string;
  password: string;
}

export const DEMO_CLINIC = 'Demo Clinic';
export const DEMO_OWNER_EMAIL = 'owner@demo-clinic.example';

/** The marker of the demo clinic, with its owner's password: mode 0600, under the data folder only. */
export const demoFile = (dataDir: string): string => path.join(dataDir, 'demo-clinic.json');

/**
 * The demo clinic of the local run: created once (identity's `create-tenant`, after its
 * migrations) with a generated owner password, then read back from the marker file. Returns
 * `created: true` on the first start only.
 */
export async function ensureDemoTenant(options: {
  root: string;
  dataDir: string;
  entry: string;
  env: NodeJS.ProcessEnv;
}): Promise<DemoSignIn & { created: boolean }> {
  const file = demoFile(options.dataDir);
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as DemoSignIn), created: false };
  const password = randomBytes(18).toString('base64url');
  const output = await runCapturing(
    options.root,
    options.entry,
    { ...options.env, OWNER_PASSWORD: password },
    ['create-tenant', '--name', DEMO_CLINIC, '--owner-email', DEMO_OWNER_EMAIL],
  );
  const created = parseCreated(output);
  const signIn: DemoSignIn = {
    clinic: DEMO_CLINIC,
    tenantId: created.tenantId,
    email: DEMO_OWNER_EMAIL,
    password,
  };
  writeFileSync(file, `${JSON.stringify(signIn, null, 2)}\n`, { mode: 0o600 });
  return { ...signIn, created: true };
}

function parseCreated(output: string): { tenantId: string } {
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') && l.includes('"tenantId"'));
  const parsed = line === undefined ? undefined : (JSON.parse(line) as { tenantId?: unknown });
  if (typeof parsed?.tenantId !== 'string') throw new Error('identity create-tenant printed no tenant id');
  return { tenantId: parsed.tenantId };
}

/** Runs `<entry> <args>`; stdout is returned, stderr relayed with a prefix; fails on a non-zero exit. */
async function runCapturing(
  root: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  createInterface({ input: child.stderr }).on('line', (line) =>
    process.stdout.write(`[identity create-tenant] ${line}\n`),
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`identity create-tenant exited with ${code}`);
  return stdout;
}
