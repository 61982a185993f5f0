import type { Admin, Consumer, Producer } from 'kafkajs';
import { headersAsText } from '../incoming-message.js';
import { deadLetterTopic } from '../topics.js';
import { createKafkaClient, untraced, type KafkaConnection } from './kafka-client.js';
import { withoutDeadLetterHeaders } from './dead-letter-headers.js';
import { createKafkaProducer } from './kafka-publisher.js';

export interface KafkaRedriveOptions extends KafkaConnection {
  /** The original topic; its parked messages are on `<topic>.dlq`. */
  topic: string;
  /** The consumer group whose parked messages to re-drive (others' stay parked). */
  groupId: string;
  timeoutMs?: number;
}

/** End offsets of the dead-letter partitions this group's re-drive has not read yet. */
async function unreadEnds(admin: Admin, dlq: string, redriveGroup: string): Promise<Map<number, bigint>> {
  if (!(await admin.listTopics()).includes(dlq)) return new Map();
  const committed = await admin.fetchOffsets({ groupId: redriveGroup, topics: [dlq] });
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const ends = new Map<number, bigint>();
  for (const p of await admin.fetchTopicOffsets(dlq)) {
    const from = [BigInt(p.low), done.get(p.partition) ?? -1n].reduce((a, b) => (a > b ? a : b));
    if (BigInt(p.high) > from) ends.set(p.partition, BigInt(p.high));
  }
  return ends;
}

/**
 * Re-drives the messages a consumer group parked on `<topic>.dlq`, once the fault is fixed: each is
 * published again to `<topic>` with its original key, envelope and payload. The group applies it;
 * groups that had applied it skip it by its id. The read position is kept in group
 * `<groupId>.redrive`, so a second run re-drives only what was parked since. Returns the count.
 */
export async function redriveKafkaDeadLetters(options: KafkaRedriveOptions): Promise<number> {
  const kafka = createKafkaClient(options, 'medspa-redrive');
  const dlq = deadLetterTopic(options.topic);
  const redriveGroup = `${options.groupId}.redrive`;
  const admin = kafka.admin();
  await admin.connect();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  try {
    const ends = await unreadEnds(admin, dlq, redriveGroup);
    if (ends.size === 0) return 0;
    const p = createKafkaProducer(kafka);
    producer = p;
    await p.connect();
    const c = kafka.consumer({ groupId: redriveGroup, allowAutoTopicCreation: false });
    consumer = c;
    await c.connect();
    await c.subscribe({ topics: [dlq], fromBeginning: true });
    let redriven = 0;
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 60_000;
      const timer = setTimeout(
        () => reject(new Error(`Re-drive of ${dlq} unfinished after ${timeoutMs} ms`)),
        timeoutMs,
      );
      c.on(c.events.CRASH, ({ payload }) => reject(payload.error));
      c.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition);
          // Parked after the run began: left for the next run.
          if (end === undefined || BigInt(message.offset) >= end) return;
          const headers = headersAsText(message.headers ?? {});
          if (headers.dlq_consumer === options.groupId) {
            await untraced(() =>
              p.send({
                topic: options.topic,
                acks: -1,
                messages: [
                  { key: message.key, value: message.value, headers: withoutDeadLetterHeaders(headers) },
                ],
              }),
            );
            redriven++;
          }
          const next = BigInt(message.offset) + 1n;
          await c.commitOffsets([{ topic: dlq, partition, offset: next.toString() }]);
          if (next >= end) ends.delete(partition);
          if (ends.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    return redriven;
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await admin.disconnect();
  }
}
