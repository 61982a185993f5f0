import type { KafkaConnection } from '@medspa/messaging';
import type { AuditConfig } from '../config.js';

type KafkaKeys = Pick<
  AuditConfig,
  'KAFKA_BROKERS' | 'KAFKA_SSL' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'
>;

/**
 * The brokers, TLS and SASL (SCRAM on MSK: charts/medspa/values-aws.yaml sets the mechanism and
 * user name, the Secret the password, which `KAFKA_SASL_PASSWORD_FILE` can name too) as the other
 * services pass them to libs/messaging. The config rules already require the user name and
 * password whenever a mechanism is set.
 */
export function kafkaConnection(config: KafkaKeys): KafkaConnection {
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
