import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../config.js';
import { kafkaConnectionOf } from '@medspa/messaging';

const kafkaEnv = {
  DATABASE_URL: 'postgres://audit_app:pw@127.0.0.1:5432/medspa',
  JWKS_URL: 'http://127.0.0.1:8080/.well-known/jwks.json',
  TOKEN_ISSUER: 'https://identity.medspa.local',
  AUDIT_SOURCES: 'scheduling',
  AUDIT_SIGNING_KEY_FILE: '/var/lib/medspa/audit/checkpoint-key.pem',
  TRANSPORT: 'kafka',
  KAFKA_BROKERS: 'b-1.msk.example:9096,b-2.msk.example:9096',
  KAFKA_SSL: 'true',
};

describe('the audit Kafka connection', () => {
  it('passes SCRAM credentials as the chart sets them, the password read from its _FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-kafka-'));
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 's3cret\n', { mode: 0o600 });
    const config = loadAuditConfig({
      ...kafkaEnv,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'medspa',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    expect(kafkaConnectionOf(config)).toEqual({
      brokers: ['b-1.msk.example:9096', 'b-2.msk.example:9096'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'medspa', password: 's3cret' },
    });
  });

  it('has no SASL block without a mechanism', () => {
    expect(kafkaConnectionOf(loadAuditConfig(kafkaEnv))).not.toHaveProperty('sasl');
  });

  it('refuses a mechanism without credentials', () => {
    expect(() => loadAuditConfig({ ...kafkaEnv, KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(
      /KAFKA_SASL_PASSWORD/,
    );
  });
});
