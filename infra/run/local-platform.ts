import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from '../free-port.js';
import type { DemoData } from './demo-data.js';
import type { DemoSignIn } from './demo-tenant.js';
import { envPrefix, LOCAL_SERVICES } from './local-services.js';

/**
 * `make run` as a child process on free ports and a throwaway data folder, for e2e tests and
 * benchmarks that need the whole platform as a clinic would run it. `stop()` sends SIGTERM (the
 * supervisor stops every service, Redis and PostgreSQL) and resolves with its exit code.
 */
export interface LocalPlatform {
  gatewayUrl: string;
  grpcAddress: Map<string, string>;
  dataDir: string;
  demo: DemoSignIn;
  data: DemoData;
  /** Everything the supervisor and its services printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const ALL_PORT_KEYS = [
  'POSTGRES_PORT',
  'REDIS_PORT',
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
];

export async function startLocalPlatform(
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<LocalPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'medspa-run-'));
  const grpcServices = LOCAL_SERVICES.filter((s) => s.grpc).map((s) => s.name);
  const [gatewayPort, ...grpcPorts] = await freePorts(1 + grpcServices.length);
  const grpcAddress = new Map(grpcServices.map((name, i) => [name, `127.0.0.1:${grpcPorts[i]}`]));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    ...options.env,
    MEDSPA_DATA_DIR: dataDir,
    GATEWAY_HTTP_PORT: String(gatewayPort),
  };
  for (const key of ALL_PORT_KEYS) env[key] = '0';
  grpcServices.forEach((name, i) => (env[`${envPrefix(name)}_GRPC_PORT`] = String(grpcPorts[i])));

  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/run.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const stop = async (): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    return exitCode ?? null;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (!output.includes('The medspa platform is running')) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`make run did not come up (exit ${exitCode}):\n${output.slice(-6000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as T;
  return {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    grpcAddress,
    dataDir,
    demo: readJson<DemoSignIn>('demo-clinic.json'),
    data: readJson<DemoData>('demo-data.json'),
    output: () => output,
    stop,
  };
}
