import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from './config.js';

const minimal = {
  DATABASE_URL: 'postgres://audit_app:pw@127.0.0.1:5432/medspa',
  JWKS_URL: 'http://127.0.0.1:8080/.well-known/jwks.json',
  TOKEN_ISSUER: 'https://identity.medspa.local',
  AUDIT_SOURCES: 'scheduling, patient-record,identity',
  AUDIT_SIGNING_KEY_FILE: '/var/lib/medspa/audit/checkpoint-key.pem',
};

describe('audit config', () => {
  it('reads the sources as a list and defaults the checkpoint cadence to T = 60 s, N = 10 000', () => {
    const config = loadAuditConfig(minimal);
    expect(config).toMatchObject({
      SERVICE_NAME: 'audit',
      TRANSPORT: 'postgres-tail',
      AUDIT_SOURCES: ['scheduling', 'patient-record', 'identity'],
      AUDIT_CHECKPOINT_EVERY: 60_000,
      AUDIT_CHECKPOINT_ENTRIES: 10_000,
      AUDIT_SIGNING_KEY_AUTO_CREATE: false,
      GRPC_PORT: 50051,
    });
  });

  it('lists every problem at once, never echoing a value', () => {
    const attempt = () =>
      loadAuditConfig({
        ...minimal,
        AUDIT_SOURCES: 'Scheduling',
        AUDIT_CHECKPOINT_EVERY: 'soon',
        TRANSPORT: 'kafka',
      });
    expect(attempt).toThrow(/AUDIT_SOURCES/);
    expect(attempt).toThrow(/AUDIT_CHECKPOINT_EVERY/);
    expect(attempt).toThrow(/KAFKA_BROKERS/);
    expect(attempt).not.toThrow(/soon/);
  });
});
