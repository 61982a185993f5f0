import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  hasExited,
  isOnPath,
  removeOnExit,
  runToCompletion,
  spawnServer,
  stopServer,
  tailOf,
} from './child-process.js';
import { isMainModule, serveUntilSignal } from './serve.js';
import { freePort } from './free-port.js';

export interface RedisOptions {
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  /**
   * Serve TLS only (`--tls-port`, plaintext port 0) with this certificate and key; the URL is then
   * `rediss://`. Clients are not asked for a certificate. Default: plaintext.
   */
  tls?: RedisTls;
}

/** PEM files of the server's certificate and key, and of the CA that signed it. */
export interface RedisTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;

/** Installs Debian's redis-server when it is missing and we may (root); otherwise says what to install. */
export async function ensureRedisInstalled(): Promise<void> {
  if (isOnPath('redis-server')) return;
  if (userInfo().uid !== 0) {
    throw new Error(
      "'redis-server' is not on PATH. Install it as root: apt-get update && apt-get install -y redis-server",
    );
  }
  // Other checkouts may be installing at the same time; wait for dpkg's lock instead of failing.
  const apt = ['-o', 'DPkg::Lock::Timeout=300', '-y', '-q'];
  console.log('redis-server is missing; running: apt-get update && apt-get install -y redis-server');
  await runToCompletion('apt-get', [...apt, 'update']);
  await runToCompletion('env', [
    'DEBIAN_FRONTEND=noninteractive',
    'apt-get',
    ...apt,
    'install',
    'redis-server',
  ]);
  if (!isOnPath('redis-server'))
    throw new Error('apt-get installed redis-server but it is still not on PATH');
  console.log('redis-server installed');
}

/** Starts an in-memory Redis (no RDB, no AOF) on 127.0.0.1 and waits until it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  await ensureRedisInstalled();
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnPort(port, options.tls);
    } catch (error) {
      const portTaken = error instanceof Error && /Address already in use/.test(error.message);
      if (options.port !== undefined || !portTaken || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

const tlsArgs = (port: number, tls: RedisTls): string[] => [
  ...['--port', '0', '--tls-port', String(port)],
  ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile],
  ...['--tls-auth-clients', 'no'],
];

async function startOnPort(port: number, tls?: RedisTls): Promise<RunningRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'medspa-redis-'));
  const unregisterDir = removeOnExit(dir);
  const logFile = path.join(dir, 'redis.log');
  // Command-line settings only: Debian's /etc/redis/redis.conf (port 6379, daemonize) is not read.
  const listen = tls === undefined ? ['--port', String(port)] : tlsArgs(port, tls);
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = spawnServer('redis-server', [...args, '--dir', dir, '--daemonize', 'no'], logFile);
  try {
    await waitForPong(port, server, logFile, tls);
  } catch (error) {
    await stopServer(server, 5_000);
    await rm(dir, { recursive: true, force: true });
    unregisterDir();
    throw error;
  }
  return {
    url: `${tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopServer(server);
      await rm(dir, { recursive: true, force: true });
      unregisterDir();
    },
  };
}

async function waitForPong(
  port: number,
  server: ChildProcess,
  logFile: string,
  tls?: RedisTls,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(server)) throw new Error(`redis-server exited during start-up:\n${tailOf(logFile)}`);
    if (await answersPing(port, tls)) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not answer PING on ${port}:\n${tailOf(logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answersPing(port: number, tls?: RedisTls): Promise<boolean> {
  return new Promise((resolve) => {
    const socket =
      tls === undefined
        ? connect({ host: '127.0.0.1', port })
        : connectTls({ host: '127.0.0.1', port, ca: readFileSync(tls.caFile), servername: 'localhost' });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls === undefined ? 'connect' : 'secureConnect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string' } } });
  await serveUntilSignal(
    () => startRedis({ port: values.port === undefined ? undefined : Number(values.port) }),
    (redis) => `REDIS_URL=${redis.url}`,
  );
}
