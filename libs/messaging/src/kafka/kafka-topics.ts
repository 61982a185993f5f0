import { createKafkaClient, type KafkaConnection } from './kafka-client.js';

export interface TopicSpec {
  topic: string;
  /** Partitions bound the parallelism of a consumer group; keys keep their order within one. */
  partitions?: number;
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet (a service's events topic and its `.dlq`, say); existing
 * ones are left as they are. Returns the topics created. In a cluster the platform's topic operator
 * usually owns this; embedded and test setups call it.
 */
export async function ensureTopics(
  connection: KafkaConnection,
  specs: readonly TopicSpec[],
): Promise<string[]> {
  const admin = createKafkaClient(connection, 'medspa-topics').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions ?? 3,
        replicationFactor: s.replicationFactor ?? -1,
      })),
    });
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
