/**
 * `make run`: the whole platform on one machine. Starts an embedded PostgreSQL (data kept under
 * .data/), provisions each service's schema and roles, runs each service's `migrate`, then spawns
 * one process per service, configured only by environment (the same variables the chart sets).
 * Ctrl-C (or SIGTERM) stops every service, then PostgreSQL.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { provisionService, schemaNameOf } from '@medspa/db';
import { grantOutboxRead } from '@medspa/messaging';
import pg from 'pg';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';
import { demoDataFile, ensureDemoData, type DemoData } from './run/demo-data.js';
import { ensureDemoTenant, type DemoSignIn } from './run/demo-tenant.js';
import { waitForGrpcServing } from './run/grpc-health.js';
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

console.log(`Starting PostgreSQL (data in ${shown(path.join(dataDir, 'postgres'))}) ...`);
const postgres = await startPostgres({
  dataDir: path.join(dataDir, 'postgres'),
  port: port('POSTGRES_PORT'),
  durable: true,
});
// The gateway's rate limits, idempotency keys and session activity: in memory, gone at Ctrl-C.
const redis = await startRedis({ port: port('REDIS_PORT') }).catch(async (error: unknown) => {
  await postgres.stop();
  throw error;
});
const processes: ServiceProcess[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('Stopping services ...');
    await stopServiceProcesses(processes);
    await redis.stop();
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
  const migrated = new Set<string>();
  let demo: (DemoSignIn & { created: boolean }) | undefined;
  for (const service of LOCAL_SERVICES) {
    const env = await serviceEnv(service, databaseUrl, secrets.rolePassword, peers);
    if (service.database) {
      await runServiceCommand(root, service.name, service.entry, env, ['migrate']);
      migrated.add(service.name);
    }
    // The Postgres-tail transport: the consumer's app role may read each producer's outbox.
    for (const producer of service.readsOutboxOf ?? []) {
      if (!migrated.has(producer))
        throw new Error(`${service.name} reads ${producer}'s outbox: list ${producer} first`);
      await grantOutboxRead(databaseUrl, schemaNameOf(producer), `${schemaNameOf(service.name)}_app`);
    }
    if (service.name === 'identity') {
      demo = await ensureDemoTenant({ root, dataDir, entry: service.entry, env });
    }
    const started = startServiceProcess(root, service.name, service.entry, env);
    processes.push(started);
    void started.exited.then((code) => {
      if (stopping) return;
      console.error(`${service.name} exited unexpectedly (code ${code}); stopping everything.`);
      void shutdown(1);
    });
  }
  const gateway = `http://127.0.0.1:${port('GATEWAY_HTTP_PORT')}`;
  await Promise.all([
    waitForHttp(`${gateway}/readyz`, 60_000),
    ...LOCAL_SERVICES.filter((s) => s.grpc).map((s) =>
      waitForGrpcServing(peers[`${envPrefix(s.name)}_GRPC_ADDR`] ?? failMissing(s.name), 60_000),
    ),
  ]);
  const seeded =
    demo === undefined
      ? undefined
      : await ensureDemoData({
          dataDir,
          signIn: demo,
          addresses: {
            identity: peers.IDENTITY_GRPC_ADDR ?? failMissing('identity'),
            scheduling: peers.SCHEDULING_GRPC_ADDR ?? failMissing('scheduling'),
            patientRecord: peers.PATIENT_RECORD_GRPC_ADDR ?? failMissing('patient-record'),
          },
        });
  const grpcLines = LOCAL_SERVICES.filter((s) => s.grpc).map(
    (s) => `  ${s.name.padEnd(15)}${peers[`${envPrefix(s.name)}_GRPC_ADDR`]}  (gRPC)`,
  );
  console.log(
    [
      '\nThe medspa platform is running.',
      `  ${'gateway'.padEnd(15)}${gateway}  (health: ${gateway}/healthz, keys: ${gateway}/.well-known/jwks.json)`,
      ...grpcLines,
      ...(demo === undefined || seeded === undefined ? [] : signInLines(demo, seeded)),
      'Press Ctrl-C to stop.\n',
    ].join('\n'),
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
    ...service.env?.({ dataDir, port }),
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SERVICE_NAME: service.name,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    TRANSPORT: 'postgres-tail',
    MEDSPA_DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    ...peers,
  };
  // `MEDSPA_<SERVICE>_<KEY>=v` in the supervisor's environment sets `<KEY>=v` for that service only
  // (e.g. MEDSPA_GATEWAY_LOG_LEVEL=debug); benchmarks raise the gateway's rate limits this way.
  const override = `MEDSPA_${prefix}_`;
  for (const [key, value] of Object.entries(process.env))
    if (key.startsWith(override) && value !== undefined) env[key.slice(override.length)] = value;
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

function signInLines(demo: DemoSignIn, data: DemoData & { created: boolean }): string[] {
  const where = shown(demoDataFile(dataDir));
  const header = data.created
    ? `\nLoaded the "${demo.clinic}": a location, rooms, two providers, a treatment menu, three fictional patients.`
    : `\nThe "${demo.clinic}" (its data was loaded on the first run).`;
  return [
    header,
    `Sign in at the gateway with tenant ${demo.tenantId} as any role (passwords in ${where}, mode 0600):`,
    `  ${'owner'.padEnd(20)}${demo.email}  (TOTP enrolled: secret and recovery codes in the same file)`,
    ...data.staff.map((s) => `  ${s.role.padEnd(20)}${s.email}  (enrols TOTP at the first sign-in)`),
    '',
  ];
}

/** A path as people read it: relative to the repo when inside it, else absolute. */
function shown(file: string): string {
  const relative = path.relative(root, file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

function failMissing(key: string): never {
  throw new Error(`deploy/local/ports.env has no ${key}`);
}
