/**
 * `make infra-up`: starts PostgreSQL (durable, data kept in .data/postgres), Kafka and Redis for
 * `make run` and benchmarks, and stays in the foreground until Ctrl-C / SIGTERM, then stops them all.
 *
 * While it runs, .data/infra.json holds the addresses and this process's pid and .data/infra.env the
 * same addresses as `KEY=value` lines (for `set -a; . .data/infra.env`). `make infra-down` runs
 * infra/down.ts, which sends SIGTERM to that pid: one owner for every server, so nothing is orphaned.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serveUntilSignal } from './serve.js';
import { startInfrastructure } from './stack.js';

const dataRoot = path.join(import.meta.dirname, '..', '.data');
const stateFile = path.join(dataRoot, 'infra.json');
const envFile = path.join(dataRoot, 'infra.env');

const { values } = parseArgs({
  // `tsx infra/cli.ts up` leaves `up` among the arguments.
  allowPositionals: true,
  options: {
    'postgres-port': { type: 'string' },
    'kafka-port': { type: 'string' },
    'redis-port': { type: 'string' },
  },
});
const asPort = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);

await serveUntilSignal(
  async () => {
    await mkdir(dataRoot, { recursive: true });
    const infra = await startInfrastructure({
      postgres: {
        dataDir: path.join(dataRoot, 'postgres'),
        port: asPort(values['postgres-port']),
        durable: true,
      },
      kafka: { port: asPort(values['kafka-port']) },
      redis: { port: asPort(values['redis-port']) },
    });
    const addresses = {
      DATABASE_URL: infra.databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      REDIS_URL: infra.redisUrl,
    };
    await writeFile(stateFile, JSON.stringify({ pid: process.pid, ...addresses }, null, 2) + '\n');
    await writeFile(
      envFile,
      Object.entries(addresses)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );
    return {
      addresses,
      stop: async () => {
        await Promise.all([rm(stateFile, { force: true }), rm(envFile, { force: true })]);
        await infra.stop();
      },
    };
  },
  ({ addresses }) =>
    Object.entries(addresses)
      .map(([key, value]) => `${key}=${value}`)
      .concat(`# running until Ctrl-C (or make infra-down); addresses also in ${stateFile}`)
      .join('\n'),
);
