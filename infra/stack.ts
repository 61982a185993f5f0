import { startKafka } from './kafka.js';
import type { KafkaOptions, RunningKafka } from './kafka.js';
import { startPostgres } from './postgres.js';
import type { PostgresOptions } from './postgres.js';
import { startRedis } from './redis.js';
import type { RedisOptions } from './redis.js';

/** Addresses of servers that already run elsewhere (CI services, a developer's own); they are not started. */
export interface ExternalInfrastructure {
  databaseUrl?: string;
  kafkaBrokers?: string;
  redisUrl?: string;
}

export interface InfrastructureOptions {
  postgres: PostgresOptions;
  kafka?: KafkaOptions;
  redis?: RedisOptions;
  external?: ExternalInfrastructure;
}

export interface RunningInfrastructure {
  /** Superuser URL of the `postgres` database. */
  databaseUrl: string;
  kafkaBrokers: string;
  redisUrl: string;
  /** The broker this call started, for restarts; undefined when it was external. */
  kafka: RunningKafka | undefined;
  /** Stops what this call started, never external servers. */
  stop: () => Promise<void>;
}

interface Started<T> {
  address: string;
  handle?: T;
  stop: () => Promise<void>;
}

const external = <T>(address: string): Started<T> => ({ address, stop: () => Promise.resolve() });

/**
 * Starts PostgreSQL, Kafka and Redis side by side (skipping any given as external). If one fails, the
 * others are stopped before the error is thrown, so a failed start leaves no processes behind.
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<RunningInfrastructure> {
  const given = options.external ?? {};
  const results = await Promise.allSettled([
    given.databaseUrl !== undefined
      ? external(given.databaseUrl)
      : startPostgres(options.postgres).then((pg) => ({ address: pg.url, stop: () => pg.stop() })),
    given.kafkaBrokers !== undefined
      ? external<RunningKafka>(given.kafkaBrokers)
      : startKafka(options.kafka).then((kafka) => ({
          address: kafka.brokers,
          handle: kafka,
          stop: () => kafka.stop(),
        })),
    given.redisUrl !== undefined
      ? external(given.redisUrl)
      : startRedis(options.redis).then((redis) => ({ address: redis.url, stop: () => redis.stop() })),
  ]);
  const [postgres, kafka, redis] = results;
  if (postgres.status === 'rejected' || kafka.status === 'rejected' || redis.status === 'rejected') {
    const stopStarted = results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : Promise.resolve()));
    await Promise.allSettled(stopStarted);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [describe(r.reason)] : []));
    throw new Error(`Could not start the test infrastructure:\n- ${reasons.join('\n- ')}`);
  }
  return {
    databaseUrl: postgres.value.address,
    kafkaBrokers: kafka.value.address,
    redisUrl: redis.value.address,
    kafka: kafka.value.handle,
    stop: async () => {
      await Promise.all([postgres.value.stop(), kafka.value.stop(), redis.value.stop()]);
    },
  };
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
