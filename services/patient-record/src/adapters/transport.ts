import { KMSClient } from '@aws-sdk/client-kms';
import { createAwsKms, type Kms } from '@medspa/crypto';
import type { Pool } from '@medspa/db';
import { createKafkaPublisher, createOutboxRelay, kafkaConnectionOf } from '@medspa/messaging';
import type { Logger } from '@medspa/observability';
import type { PatientRecordConfig } from '../config.js';

/**
 * The KMS that wraps tenant keys, and the KEK's id in it: AWS KMS in the cluster
 * (KMS_PROVIDER=aws), else undefined for the local key files of embedded mode.
 */
export function kmsFrom(config: PatientRecordConfig): { kms: Kms; kekId: string } | undefined {
  if (config.KMS_PROVIDER !== 'aws') return undefined;
  // The config rules make both required with KMS_PROVIDER=aws; this narrows the types.
  if (config.AWS_KMS_KEY_ID === undefined || config.AWS_REGION === undefined) {
    throw new Error('KMS_PROVIDER=aws needs AWS_KMS_KEY_ID and AWS_REGION');
  }
  const client = new KMSClient({
    region: config.AWS_REGION,
    ...(config.AWS_KMS_ENDPOINT !== undefined ? { endpoint: config.AWS_KMS_ENDPOINT } : {}),
  });
  return { kms: createAwsKms(client), kekId: config.AWS_KMS_KEY_ID };
}

/**
 * With TRANSPORT=kafka, a relay in this process tails the outbox (gap-safe, leader-locked so one
 * replica publishes) to Kafka; with postgres-tail, consumers read the outbox themselves and
 * nothing runs here. Returns the stop function.
 */
export function startOutboxRelay(
  config: PatientRecordConfig,
  pool: Pool,
  schema: string,
  logger: Logger,
): () => Promise<void> {
  if (config.TRANSPORT !== 'kafka') return () => Promise.resolve();
  const publisher = createKafkaPublisher({ ...kafkaConnectionOf(config), logger });
  const relay = createOutboxRelay({ pool, schema, publisher, logger });
  relay.start();
  return async () => {
    await relay.stop();
    await publisher.disconnect();
  };
}
