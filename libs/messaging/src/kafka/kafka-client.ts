import type { ConnectionOptions } from 'node:tls';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { createLogger, type Logger } from '@medspa/observability';

/** How to reach a Kafka cluster; the same for the relay, consumers and re-drive. */
export interface KafkaConnection {
  /** `host:port`, a comma-separated list, or a list. */
  brokers: string | readonly string[];
  clientId?: string;
  /**
   * TLS to the brokers (MSK, Confluent Cloud): true trusts the system CAs (plus NODE_EXTRA_CA_CERTS);
   * TLS options (e.g. `{ ca }`) name what to trust.
   */
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  /** How often the client retries a failed request itself before failing it (kafkajs default 5). */
  retries?: number;
  logger?: Logger;
}

export const brokerList = (brokers: string | readonly string[]): string[] =>
  (typeof brokers === 'string' ? brokers.split(',') : [...brokers])
    .map((b) => b.trim())
    .filter((b) => b !== '');

// kafkajs logs to the console by default; route it to our logger, keeping only its own message and
// the error's message (connection and protocol errors, which never hold message contents).
function logCreatorFor(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const fields = {
        namespace,
        kafkajs: log.message,
        error: typeof log.error === 'string' ? log.error : undefined,
      };
      if (level === logLevel.ERROR) logger.error(fields, 'kafka client error');
      else if (level === logLevel.WARN) logger.warn(fields, 'kafka client warning');
      else logger.debug(fields, 'kafka client');
    };
}

/** A kafkajs client; the only place outside this lib's files that would otherwise import kafkajs. */
export function createKafkaClient(connection: KafkaConnection, defaultClientId: string): Kafka {
  const logger = connection.logger ?? createLogger({ service: 'messaging', level: 'warn' });
  return new Kafka({
    clientId: connection.clientId ?? defaultClientId,
    brokers: brokerList(connection.brokers),
    ...(connection.ssl === undefined ? {} : { ssl: connection.ssl }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
    ...(connection.retries === undefined ? {} : { retry: { retries: connection.retries } }),
    logLevel: logLevel.WARN,
    logCreator: logCreatorFor(logger),
  });
}

/**
 * Runs a send with tracing suppressed. The kafkajs instrumentation would otherwise start a span
 * per message from whatever context is active (none, in the relay's loop: a new root trace) and
 * overwrite the message's `traceparent` header with it; the envelope's traceparent, the appending
 * request's, must reach consumers as written.
 */
export const untraced = <T>(send: () => Promise<T>): Promise<T> =>
  context.with(suppressTracing(context.active()), send);
