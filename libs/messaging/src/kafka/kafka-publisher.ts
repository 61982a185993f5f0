import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { MessagePublisher, OutgoingMessage } from '../publisher.js';
import { createKafkaClient, untraced, type KafkaConnection } from './kafka-client.js';

export interface KafkaPublisher extends MessagePublisher {
  disconnect(): Promise<void>;
}

export interface KafkaPublisherOptions extends KafkaConnection {
  /** How long the brokers may take to acknowledge one batch. */
  ackTimeoutMs?: number;
}

const toKafkaMessage = (m: OutgoingMessage): Message => ({
  key: m.key,
  value: Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength),
  headers: m.headers,
});

/** Groups by topic, keeping the outbox order within each topic (and so within each key). */
function byTopic(messages: readonly OutgoingMessage[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const m of messages) {
    const list = topics.get(m.topic) ?? [];
    list.push(toKafkaMessage(m));
    topics.set(m.topic, list);
  }
  return [...topics].map(([topic, list]) => ({ topic, messages: list }));
}

/** A producer as the relay wants it: durable acks, one request in flight, no idempotence. */
export function createKafkaProducer(kafka: Kafka): Producer {
  return kafka.producer({
    // The design gets its guarantees from the outbox and idempotent consumers, not from kafkajs's
    // experimental idempotent/transactional producer. One request in flight keeps a retried request
    // from overtaking a later one, which would reorder a key.
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // The Java client's murmur2 partitioning, so every client puts a key on the same partition.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/**
 * Publishes to Kafka with `acks: -1` (every in-sync replica). A failed send drops the producer,
 * so that the next publish starts from a fresh connection (after a broker restart, say).
 */
export function createKafkaPublisher(options: KafkaPublisherOptions): KafkaPublisher {
  const kafka = createKafkaClient(options, 'medspa-relay');
  let producer: Producer | undefined;

  async function connected(): Promise<Producer> {
    if (producer !== undefined) return producer;
    const fresh = createKafkaProducer(kafka);
    await fresh.connect();
    producer = fresh;
    return fresh;
  }

  async function dropProducer(): Promise<void> {
    const old = producer;
    producer = undefined;
    await old?.disconnect().catch(() => undefined);
  }

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      try {
        const p = await connected();
        await untraced(() =>
          p.sendBatch({
            topicMessages: byTopic(messages),
            acks: -1,
            timeout: options.ackTimeoutMs ?? 30_000,
          }),
        );
      } catch (e) {
        await dropProducer();
        throw e;
      }
    },
    disconnect: dropProducer,
  };
}
