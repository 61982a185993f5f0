/**
 * vitest globalSetup of the int and e2e projects: starts real PostgreSQL, Kafka and Redis once per run
 * and provides their addresses to test files (read them with adminDatabaseUrl(), kafkaBrokers(),
 * redisUrl()). A server given in the environment is used instead of starting one:
 *   DATABASE_URL  superuser URL (each test file creates its own database through it)
 *   KAFKA_BROKERS host:port[,host:port]
 *   REDIS_URL     redis://host:port
 * A dependency that cannot be found or installed fails the run with what to install; tests never skip.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { removeOnExit, startInfrastructure } from '@medspa/infra';
import './provided-context.js';

const fromEnv = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = {
    databaseUrl: fromEnv('DATABASE_URL'),
    kafkaBrokers: fromEnv('KAFKA_BROKERS'),
    redisUrl: fromEnv('REDIS_URL'),
  };
  // Throwaway cluster. The directory is opened to others because Postgres runs as the unprivileged
  // `postgres` OS user, which must be able to reach its data directory inside it.
  const postgresRoot = await mkdtemp(path.join(tmpdir(), 'medspa-test-postgres-'));
  await chmod(postgresRoot, 0o755);
  const unregisterPostgresRoot = removeOnExit(postgresRoot);
  const removePostgresRoot = async (): Promise<void> => {
    await rm(postgresRoot, { recursive: true, force: true });
    unregisterPostgresRoot();
  };

  const infra = await startInfrastructure({
    postgres: { dataDir: path.join(postgresRoot, 'data'), durable: false },
    external,
  }).catch(async (error: unknown) => {
    await removePostgresRoot();
    throw error;
  });
  project.provide('adminDatabaseUrl', infra.databaseUrl);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);

  return async () => {
    await infra.stop();
    await removePostgresRoot();
  };
}
