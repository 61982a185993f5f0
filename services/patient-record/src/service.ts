import type { TokenVerifier } from '@medspa/auth';
import { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import type { Kms } from '@medspa/crypto';
import { createPool, schemaNameOf, type Pool } from '@medspa/db';
import { createGrpcServer, identityTokenVerifier } from '@medspa/grpc';
import { eventsTopic } from '@medspa/messaging';
import { createLogger, type Logger } from '@medspa/observability';
import { createProjectionRunner, type Projection } from '@medspa/projections';
import { patientRecordHandlers } from './adapters/grpc/handlers.js';
import { SERVICE_NAME } from './adapters/integration-events.js';
import { kmsFrom, startOutboxRelay } from './adapters/transport.js';
import type { AppDeps } from './app/deps.js';
import type { PatientRecordConfig } from './config.js';
import { createRecordStore } from './crypto/keys.js';
import { encounterChartsProjection } from './projections/encounter-charts/projection.js';
import { encounterDirectoryProjection } from './projections/encounter-directory/projection.js';
import { patientDirectoryProjection } from './projections/patient-directory/projection.js';
import { patientDocumentsProjection } from './projections/patient-documents/projection.js';

export const SCHEMA = schemaNameOf(SERVICE_NAME);
export const PROTO_FILES = [
  'medspa/patient_record/v1/patient_record_service.proto',
  'medspa/patient_record/v1/patient_record.proto',
  'medspa/patient_record/v1/clinical.proto',
  'medspa/patient_record/v1/documents.proto',
  'medspa/patient_record/v1/events.proto',
];

/** What tests (and only tests) swap: the verifier, the KMS, the topic prefix, the clock. */
export interface ServiceOverrides {
  verifier?: TokenVerifier;
  kms?: Kms;
  topicPrefix?: string;
  now?: () => Date;
  logger?: Logger;
}

export interface ServiceHandle {
  port: number;
  pool: Pool;
  /** Waits until every read model has caught up with the log (tests). */
  catchUp(): Promise<void>;
  /** Crypto-shreds one patient: keys destroyed, read-model rows and index tokens purged. */
  shredPatient(tenantId: string, patientId: string): Promise<void>;
  stop(): Promise<void>;
}

/** The read models, over a keyring: shared by the service and the rebuild command. */
export function projectionsOf(deps: Pick<AppDeps, 'fields' | 'keyring' | 'schema'>): Projection[] {
  return [
    patientDirectoryProjection(deps),
    encounterDirectoryProjection(deps.schema),
    encounterChartsProjection(deps),
    patientDocumentsProjection(deps.schema),
  ];
}

/** Starts patient-record: event store with the PHI codec, projections and the gRPC server. */
export async function startService(
  config: PatientRecordConfig,
  overrides: ServiceOverrides = {},
): Promise<ServiceHandle> {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const pool = createPool(config.DATABASE_URL, { applicationName: SERVICE_NAME });
  const cloudKms = overrides.kms === undefined ? kmsFrom(config) : undefined;
  const { keyring, fields, store, readStreams, decodeEvents } = createRecordStore(
    pool,
    SCHEMA,
    {
      kmsKeyDir: config.KMS_LOCAL_DIR,
      kekId: cloudKms?.kekId ?? config.KMS_KEK_ID,
      ...(overrides.kms ? { kms: overrides.kms } : cloudKms ? { kms: cloudKms.kms } : {}),
    },
    overrides.topicPrefix,
  );
  const deps: AppDeps = {
    pool,
    schema: SCHEMA,
    store,
    readStreams,
    decodeEvents,
    keyring,
    fields,
    topic: eventsTopic(SERVICE_NAME, overrides.topicPrefix),
    now: overrides.now ?? (() => new Date()),
  };
  const runner = createProjectionRunner({ pool, store, projections: projectionsOf(deps), logger });
  runner.start();
  const stopRelay = startOutboxRelay(config, pool, SCHEMA, logger);

  const keys = overrides.verifier === undefined ? identityTokenVerifier(config) : undefined;
  const verifier = overrides.verifier ?? keys!.verifier;
  const server = createGrpcServer({ serviceName: SERVICE_NAME, verifier, logger, protoFiles: PROTO_FILES });
  server.addService(PatientRecordServiceService, patientRecordHandlers(deps));
  const port = await server.listen(`${config.GRPC_HOST}:${config.GRPC_PORT}`);
  server.markReady();

  return {
    port,
    pool,
    catchUp: () => runner.catchUp({ timeoutMs: 30_000 }),
    async shredPatient(tenantId, patientId) {
      await keyring.shredSubject(tenantId, patientId);
    },
    async stop() {
      await server.drain({ graceMs: 5_000 });
      await stopRelay();
      await runner.stop();
      keys?.close();
      await pool.end();
    },
  };
}
