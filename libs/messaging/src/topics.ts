import { schemaNameOf } from '@medspa/db';

/**
 * The topic of a service's integration and access events: `medspa.<service>.events.v1`. Tests pass
 * a `testTopicPrefix()` so that parallel test files never share a topic.
 */
export const eventsTopic = (service: string, prefix = ''): string => `${prefix}medspa.${service}.events.v1`;

/** Where a Kafka consumer parks what it could not process: `<topic>.dlq`. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

const EVENTS_TOPIC = /(?:^|\.)medspa\.([a-z][a-z0-9-]*)\.events\.v\d+$/;

/**
 * The schema whose outbox holds a topic's messages: the producing service's, by the naming rule of
 * `eventsTopic` (a test prefix is ignored). The Postgres-tail transport reads that outbox.
 */
export function producerSchemaOfTopic(topic: string): string {
  const service = EVENTS_TOPIC.exec(topic)?.[1];
  if (service === undefined) throw new Error(`Not an events topic: ${topic}`);
  return schemaNameOf(service);
}
