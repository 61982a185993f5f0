import { createPool } from '@medspa/db';
import { redriveKafkaDeadLetters, type KafkaRedriveOptions } from './kafka/kafka-redrive.js';
import { requestRedrive } from './postgres-tail/dead-letters.js';

export interface PostgresRedriveOptions {
  /** The consuming service's database URL (its app or owner role). */
  databaseUrl: string;
  schema: string;
  groupId: string;
  /** Only these parked messages; all of the group's otherwise. */
  messageIds?: readonly string[];
}

export type RedriveRequest =
  ({ transport: 'kafka' } & KafkaRedriveOptions) | ({ transport: 'postgres' } & PostgresRedriveOptions);

/**
 * Re-drives a consumer's parked messages on either transport: Kafka republishes them from
 * `<topic>.dlq` to `<topic>`; the Postgres tail marks them in `dead_letters` for the running
 * consumer. Either way an already applied message is skipped, so running it twice is harmless.
 */
export async function redriveParkedMessages(request: RedriveRequest): Promise<number> {
  if (request.transport === 'kafka') return redriveKafkaDeadLetters(request);
  const pool = createPool(request.databaseUrl, { applicationName: 'messaging-redrive', max: 1 });
  try {
    return await requestRedrive(pool, request.schema, request.groupId, request.messageIds);
  } finally {
    await pool.end();
  }
}
