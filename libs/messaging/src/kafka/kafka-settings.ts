import type { KafkaConnection } from './kafka-client.js';

/** The Kafka keys of libs/config's base service config (`baseServiceConfig`). */
export interface KafkaSettings {
  KAFKA_BROKERS?: string[] | undefined;
  KAFKA_SSL: boolean;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}

/**
 * The brokers, TLS and SASL of a service's config (SCRAM on MSK: charts/medspa/values-aws.yaml sets
 * the mechanism and user name, the Secret the password, which `KAFKA_SASL_PASSWORD_FILE` can name
 * too). The config rules already require the user name and password whenever a mechanism is set.
 */
export function kafkaConnectionOf(config: KafkaSettings): KafkaConnection {
  return {
    brokers: config.KAFKA_BROKERS ?? [],
    ssl: config.KAFKA_SSL,
    ...(config.KAFKA_SASL_MECHANISM === undefined
      ? {}
      : {
          sasl: {
            mechanism: config.KAFKA_SASL_MECHANISM,
            username: config.KAFKA_SASL_USERNAME ?? '',
            password: config.KAFKA_SASL_PASSWORD ?? '',
          },
        }),
  };
}
