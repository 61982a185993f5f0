/**
 * `make run`: the whole platform on one machine. Starts an embedded PostgreSQL (data kept under
 * .data/), provisions each service's schema and roles, runs each service's `migrate`, then spawns
 * one process per service, configured only by environment (the same variables the chart sets).
 * Ctrl-C (or SIGTERM) stops every service, then PostgreSQL.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { provisionService, schemaNameOf } from '@medspa/db';
import pg from 'pg';
import { startPostgres } from './postgres.js';
import { envPrefix, LOCAL_SERVICES, type LocalService } from './run/local-services.js';
import { loadLocalSecrets } from './run/local-secrets.js';
import { resolvePorts } from './run/ports.js';
import {
  runServiceCommand,
  startServiceProcess,
  stopServiceProcesses,
  type ServiceProcess,
} from './run/service-processes.js';
import { waitForHttp } from './run/wait.js';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.MEDSPA_DATA_DIR ?? path.join(root, '.data'));
mkdirSync(dataDir, { recursive: true });
// PostgreSQL runs as the unprivileged `postgres` user, which must be able to enter the data folder.
chmodSync(dataDir, 0o755);
const ports = await resolvePorts(path.join(root, 'deploy/local/ports.env'), process.env);
const port = (key: string): number => ports[key] ?? failMissing(key);

console.log(`Starting PostgreSQL (data in ${path.relative(root, dataDir) || dataDir}/postgres) ...`);
const postgres = await startPostgres({
  dataDir: path.join(dataDir, 'postgres'),
  port: port('POSTGRES_PORT'),
  durable: true,
});
const processes: ServiceProcess[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('Stopping services ...');
    await stopServiceProcesses(processes);
    await postgres.stop();
    console.log('Stopped.');
  }
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  const databaseUrl = await ensureDatabase(postgres.url, 'medspa');
  const secrets = loadLocalSecrets(path.join(dataDir, 'local-secrets.json'));
  const peers = Object.fromEntries(
    LOCAL_SERVICES.filter((s) => s.grpc).map((s) => [
      `${envPrefix(s.name)}_GRPC_ADDR`,
      `127.0.0.1:${port(`${envPrefix(s.name)}_GRPC_PORT`)}`,
    ]),
  );
  for (const service of LOCAL_SERVICES) {
    const env = await serviceEnv(service, databaseUrl, secrets.rolePassword, peers);
    if (service.database) await runServiceCommand(root, service.name, service.entry, env, ['migrate']);
    const started = startServiceProcess(root, service.name, service.entry, env);
    processes.push(started);
    void started.exited.then((code) => {
      if (stopping) return;
      console.error(`${service.name} exited unexpectedly (code ${code}); stopping everything.`);
      void shutdown(1);
    });
  }
  const gateway = `http://127.0.0.1:${port('GATEWAY_HTTP_PORT')}`;
  await waitForHttp(`${gateway}/readyz`, 60_000);
  console.log(
    `\nThe medspa platform is running.\n  gateway  ${gateway}  (health: ${gateway}/healthz)\nPress Ctrl-C to stop.\n`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}

async function serviceEnv(
  service: LocalService,
  databaseUrl: string,
  rolePassword: (role: string) => string,
  peers: Record<string, string>,
): Promise<NodeJS.ProcessEnv> {
  const prefix = envPrefix(service.name);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SERVICE_NAME: service.name,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    TRANSPORT: 'postgres-tail',
    MEDSPA_DATA_DIR: dataDir,
    ...peers,
  };
  if (service.name === 'gateway') env.HTTP_PORT = String(port('GATEWAY_HTTP_PORT'));
  if (service.grpc) env.GRPC_PORT = String(port(`${prefix}_GRPC_PORT`));
  if (service.database) {
    const schema = schemaNameOf(service.name);
    const roles = await provisionService(databaseUrl, service.name, {
      ownerPassword: rolePassword(`${schema}_owner`),
      appPassword: rolePassword(`${schema}_app`),
    });
    env.DATABASE_URL = roles.appUrl;
    env.MIGRATION_DATABASE_URL = roles.ownerUrl;
  }
  return env;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function failMissing(key: string): never {
  throw new Error(`deploy/local/ports.env has no ${key}`);
}
