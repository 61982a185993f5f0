import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import type { Canaries, CanaryHit } from './canary.js';
import { findCanariesInText } from './canary.js';

export interface ScanKafkaOptions {
  /** Give up (and throw) when the topics cannot be read to their end within this time. Default 30 s. */
  timeoutMs?: number;
}

/** Topics matching `topicPattern`: a RegExp, or a string the topic name must start with. */
const matches = (topic: string, topicPattern: RegExp | string): boolean =>
  typeof topicPattern === 'string' ? topic.startsWith(topicPattern) : topicPattern.test(topic);

/**
 * Reads every message of every matching topic from the beginning up to the offsets current at the
 * call, and reports canaries in keys, values or headers. Uses a throwaway consumer group that commits
 * nothing and is deleted afterwards. Internal topics (`__consumer_offsets`, ...) are never read.
 */
export async function scanKafkaTopics(
  brokers: string,
  topicPattern: RegExp | string,
  canaries: Canaries,
  options: ScanKafkaOptions = {},
): Promise<CanaryHit[]> {
  const kafka = new Kafka({
    clientId: 'canary-scan',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `canary-scan-${randomBytes(6).toString('hex')}`;
  let consumer: Consumer | undefined;
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__') && matches(t, topicPattern));
    // Offsets still to reach, per `topic:partition`; partitions with nothing retained are skipped.
    const unread = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) unread.set(`${topic}:${p.partition}`, BigInt(p.high));
      }
    }
    if (unread.size === 0) return [];

    const hits: CanaryHit[] = [];
    const scanner = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    consumer = scanner;
    await scanner.connect();
    await scanner.subscribe({ topics, fromBeginning: true });
    const timeoutMs = options.timeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `scanKafkaTopics: not read to the end within ${timeoutMs} ms: ${[...unread.keys()].join(', ')}`,
            ),
          ),
        timeoutMs,
      );
      scanner.on(scanner.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      scanner
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const at = `kafka:${batch.topic}[${batch.partition}]@${message.offset}`;
              hits.push(...findCanariesInText(message.key?.toString('utf8') ?? '', canaries, `${at} key`));
              hits.push(
                ...findCanariesInText(message.value?.toString('utf8') ?? '', canaries, `${at} value`),
              );
              for (const [name, header] of Object.entries(message.headers ?? {})) {
                const values = Array.isArray(header) ? header : [header];
                const text = values.map((v) => v?.toString() ?? '').join('\n');
                hits.push(...findCanariesInText(`${name}\n${text}`, canaries, `${at} header ${name}`));
              }
            }
            const key = `${batch.topic}:${batch.partition}`;
            const end = unread.get(key);
            if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) unread.delete(key);
            if (unread.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    return hits;
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
