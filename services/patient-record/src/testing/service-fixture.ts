import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccessEvent } from '@medspa/contracts/medspa.common.v1';
import { PatientRecordServiceClient } from '@medspa/contracts/medspa.patient_record.v1';
import { createTokenVerifier, type Role } from '@medspa/auth';
import { createPool, quoteIdent } from '@medspa/db';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { ACCESS_EVENT_TYPE } from '@medspa/messaging';
import {
  createServiceDatabase,
  createTestIssuer,
  type ServiceDatabase,
  type TestIssuer,
} from '@medspa/testing';
import { randomUUID } from 'node:crypto';
import { migrations } from '../../migrations/index.js';
import { loadPatientRecordConfig } from '../config.js';
import { startService, type ServiceHandle } from '../service.js';

export type RecordClient = PromiseClient<typeof PatientRecordServiceClient.service>;

/** A running patient-record on a fresh database, with a test issuer for tokens of any role. */
export interface RecordFixture {
  db: ServiceDatabase;
  service: ServiceHandle;
  issuer: TestIssuer;
  /** A client whose calls carry a token for this user (a fresh user id unless given). */
  clientAs(input: { tenantId: string; role: Role; userId?: string; breakGlass?: boolean }): RecordClient;
  /** Access events written to the outbox, decoded (they carry ids and codes only). */
  accessEvents(): Promise<AccessEvent[]>;
  /** Every outbox message (integration and access events): type, key and payload as text. */
  outbox(): Promise<{ type: string; key: string; payloadText: string }[]>;
  /** Rows of a table as the superuser sees them (no RLS). */
  rows(table: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** `env` adds configuration (TRANSPORT=kafka, ...); `topicPrefix` keeps this file's topics apart. */
export async function startRecordFixture(
  options: { env?: Record<string, string>; topicPrefix?: string } = {},
): Promise<RecordFixture> {
  const db = await createServiceDatabase('patient-record', migrations);
  const issuer = await createTestIssuer();
  const keyDir = await mkdtemp(path.join(tmpdir(), 'patient-record-kms-'));
  const config = loadPatientRecordConfig({
    DATABASE_URL: db.appUrl,
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    TOKEN_ISSUER: issuer.issuer,
    KMS_LOCAL_DIR: keyDir,
    GRPC_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const service = await startService(
    { ...config, GRPC_PORT: 0 },
    {
      verifier: createTokenVerifier(issuer.verifierOptions()),
      ...(options.topicPrefix !== undefined ? { topicPrefix: options.topicPrefix } : {}),
    },
  );
  const clients: RecordClient[] = [];
  const admin = createPool(db.adminUrl, { applicationName: 'patient-record-test', max: 2 });
  const table = (name: string) => `${quoteIdent(db.schema)}.${quoteIdent(name)}`;

  return {
    db,
    service,
    issuer,
    clientAs({ tenantId, role, userId, breakGlass }) {
      const token = issuer.sign({
        tenantId,
        role,
        userId: userId ?? randomUUID(),
        ...(breakGlass === true ? { breakGlass: { reason: 'EMERGENCY_CARE' } } : {}),
      });
      const client = createGrpcClient(PatientRecordServiceClient, `127.0.0.1:${service.port}`, {
        getToken: () => token,
      });
      clients.push(client);
      return client;
    },
    async accessEvents() {
      const { rows } = await admin.query<{ payload: Buffer }>(
        `SELECT payload FROM ${table('outbox')} WHERE message_type = $1 ORDER BY position`,
        [ACCESS_EVENT_TYPE],
      );
      return rows.map((r) => AccessEvent.decode(r.payload));
    },
    async outbox() {
      const { rows } = await admin.query<{ message_type: string; message_key: string; payload: Buffer }>(
        `SELECT message_type, message_key, payload FROM ${table('outbox')} ORDER BY position`,
      );
      return rows.map((r) => ({
        type: r.message_type,
        key: r.message_key,
        payloadText: r.payload.toString('latin1'),
      }));
    },
    async rows(name) {
      return (await admin.query<Record<string, unknown>>(`SELECT * FROM ${table(name)}`)).rows;
    },
    async close() {
      for (const c of clients) c.close();
      await service.stop();
      await admin.end();
      await db.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
