import { describe, expect, it } from 'vitest';
import { loadPatientRecordConfig } from './config.js';

const base = {
  DATABASE_URL: 'postgres://patient_record_app:x@127.0.0.1:5432/medspa',
  JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
  TOKEN_ISSUER: 'https://identity.medspa.local',
};

/** The keys a ConfigError names, or [] when the configuration loads. */
function problemKeys(env: Record<string, string>): string[] {
  try {
    loadPatientRecordConfig({ ...base, ...env });
    return [];
  } catch (e) {
    return ((e as { problems?: { key: string }[] }).problems ?? []).map((p) => p.key).sort();
  }
}

describe('patient-record configuration: KMS and transport', () => {
  it('defaults to local key files and the Postgres-tail transport', () => {
    const config = loadPatientRecordConfig(base);
    expect(config).toMatchObject({ KMS_PROVIDER: 'local', TRANSPORT: 'postgres-tail' });
  });

  it('needs the key id and region for AWS KMS, and brokers for Kafka, listed at once', () => {
    expect(problemKeys({ KMS_PROVIDER: 'aws', TRANSPORT: 'kafka' })).toEqual([
      'AWS_KMS_KEY_ID',
      'AWS_REGION',
      'KAFKA_BROKERS',
    ]);
    expect(
      problemKeys({
        KMS_PROVIDER: 'aws',
        AWS_KMS_KEY_ID: 'alias/patient-record-kek',
        AWS_REGION: 'us-east-1',
        TRANSPORT: 'kafka',
        KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
      }),
    ).toEqual([]);
  });

  it('refuses a KEK that is not an alias, an ARN or a key id', () => {
    expect(problemKeys({ KMS_PROVIDER: 'aws', AWS_KMS_KEY_ID: 'my key', AWS_REGION: 'us-east-1' })).toEqual([
      'AWS_KMS_KEY_ID',
    ]);
  });
});
