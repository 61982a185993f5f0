import { readFile } from 'node:fs/promises';
import type { TokenVerifier } from '@medspa/auth';
import { AuditServiceService } from '@medspa/contracts/medspa.audit.v1';
import { createPool } from '@medspa/db';
import { createGrpcServer, identityTokenVerifier, type GrpcServer } from '@medspa/grpc';
import { kafkaConnectionOf, type SettledMessage } from '@medspa/messaging';
import { createLogger, type Logger } from '@medspa/observability';
import { auditServiceHandlers } from './adapters/grpc/audit-service.js';
import type { AuditConfig } from './config.js';
import { createIngest, ingestPoolSize, type IngestTransport } from './ingest/ingest.js';
import { trustedKeysFromPem } from './signing/checkpoint-signer.js';
import { createLocalFileSigner } from './signing/local-file-signer.js';
import { createAuditStore } from './store/append.js';
import { startCheckpointSchedule } from './store/checkpoint-schedule.js';
import { createCheckpointer } from './store/checkpointer.js';

export interface AuditServiceOptions {
  /** Tests pass `createTokenVerifier(issuer.verifierOptions())`; otherwise identity's keys (JWKS_URL or IDENTITY_GRPC_ADDR). */
  verifier?: TokenVerifier;
  logger?: Logger;
  /** Default `0.0.0.0:<GRPC_PORT>`; tests bind `127.0.0.1:0`. */
  address?: string;
  /** Test topics prefix (`testTopicPrefix()`). */
  topicPrefix?: string;
  pollIntervalMs?: number;
  onSettled?: (settled: SettledMessage) => void | Promise<void>;
}

export interface RunningAuditService {
  port: number;
  /** For drainOnSignals in main.ts. */
  server: GrpcServer;
  /** Drains gRPC, then stops ingest and the checkpoint schedule and closes the pool. */
  stop(): Promise<void>;
  /** What stop() does after the drain (for drainOnSignals' onDrained). */
  closeAfterDrain(): Promise<void>;
}

/**
 * Starts the audit service: ingest of every source topic into the log, the checkpoint schedule
 * (every N entries and every T), and the AuditService over gRPC. Used by main.ts and by int tests.
 */
export async function startService(
  config: AuditConfig,
  options: AuditServiceOptions = {},
): Promise<RunningAuditService> {
  const logger = options.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const keys = options.verifier === undefined ? identityTokenVerifier(config) : undefined;
  const verifier = options.verifier ?? keys!.verifier;
  const pool = createPool(config.DATABASE_URL, { applicationName: 'audit', max: config.AUDIT_DB_POOL_SIZE });
  const store = createAuditStore(pool);
  await store.ensurePartitions();
  const signer = createLocalFileSigner({
    file: config.AUDIT_SIGNING_KEY_FILE,
    autoCreate: config.AUDIT_SIGNING_KEY_AUTO_CREATE,
  });
  const extraKeys = await Promise.all((config.AUDIT_TRUSTED_KEY_FILES ?? []).map((f) => readFile(f, 'utf8')));
  const trustedKeys = trustedKeysFromPem([await signer.publicKeyPem(), ...extraKeys]);
  const checkpointer = createCheckpointer(pool, {
    signer,
    trustedKeys,
    everyEntries: config.AUDIT_CHECKPOINT_ENTRIES,
  });
  const stopSchedule = startCheckpointSchedule(checkpointer, {
    everyMs: config.AUDIT_CHECKPOINT_EVERY,
    onError: (e) =>
      logger.error({ err: e instanceof Error ? e.name : 'unknown' }, 'audit checkpoint sweep failed'),
  });
  const transport: IngestTransport =
    config.TRANSPORT === 'kafka'
      ? { kind: 'kafka', connection: kafkaConnectionOf(config) }
      : {
          kind: 'postgres-tail',
          ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
        };
  // Separate from the store's pool: deliveries wait for the group commit holding a connection each.
  const consumerPool = createPool(config.DATABASE_URL, {
    applicationName: 'audit-ingest',
    max: ingestPoolSize(config.AUDIT_SOURCES.length, transport),
  });
  const ingest = createIngest({
    pool: consumerPool,
    store,
    checkpointer,
    sources: config.AUDIT_SOURCES,
    transport,
    maxBatch: config.AUDIT_INGEST_MAX_BATCH,
    logger,
    ...(options.topicPrefix === undefined ? {} : { topicPrefix: options.topicPrefix }),
    ...(options.onSettled === undefined ? {} : { onSettled: options.onSettled }),
  });
  await ingest.start();

  const server = createGrpcServer({
    serviceName: config.SERVICE_NAME,
    verifier,
    logger,
    protoFiles: ['medspa/audit/v1/audit_service.proto'],
  });
  server.addService(
    AuditServiceService,
    auditServiceHandlers({ pool, store, signer, trustedKeys, databaseUrl: config.DATABASE_URL }),
  );
  const port = await server.listen(options.address ?? `0.0.0.0:${config.GRPC_PORT}`);
  server.markReady();

  const closeAfterDrain = async () => {
    await ingest.stop();
    await stopSchedule();
    await consumerPool.end();
    keys?.close();
    await pool.end();
  };
  return {
    port,
    server,
    closeAfterDrain,
    async stop() {
      await server.drain({ graceMs: 5_000 });
      await closeAfterDrain();
    },
  };
}
