// Public API of @medspa/audit: the tamper-evident store and its verifier, the service (ingest,
// gRPC API) and the offline export verifier.
export { AUDIT_SCHEMA, auditMigrations } from './migrations.js';
export type { AuditDetail, AuditRecord, AuditSource } from './domain/audit-record.js';
export { assertValidRecord } from './domain/audit-record.js';
export { canonicalJson } from './domain/canonical-json.js';
export type { JsonObject, JsonValue } from './domain/canonical-json.js';
export {
  ENTRY_FORMAT,
  canonicalEntry,
  columnsDisagreeing,
  entryColumns,
  entryDocument,
} from './domain/canonical-record.js';
export type { EntryColumns } from './domain/canonical-record.js';
export { HASH_BYTES, chainHash, extendChain, genesisHash } from './domain/chain-hash.js';
export type { ChainLink } from './domain/chain-hash.js';
export { CHECKPOINT_FORMAT, checkpointStatement } from './domain/checkpoint-statement.js';
export type { Checkpoint, CheckpointClaim } from './domain/checkpoint-statement.js';
export {
  checkpointSignatureValid,
  ed25519KeyId,
  signCheckpoint,
  trustedKeysFromPem,
} from './signing/checkpoint-signer.js';
export type { CheckpointSigner, TrustedKeys } from './signing/checkpoint-signer.js';
export { createInMemorySigner } from './signing/in-memory-signer.js';
export type { InMemorySigner } from './signing/in-memory-signer.js';
export { createLocalFileSigner } from './signing/local-file-signer.js';
export type { LocalFileSigner, LocalFileSignerOptions } from './signing/local-file-signer.js';
export { createAuditStore } from './store/append.js';
export type { AppendOutcome, AuditStore, ChainHead } from './store/append.js';
export { createCheckpointer } from './store/checkpointer.js';
export type { Checkpointer, CheckpointerOptions } from './store/checkpointer.js';
export { startCheckpointSchedule } from './store/checkpoint-schedule.js';
export type { CheckpointScheduleOptions } from './store/checkpoint-schedule.js';
export { ensureEntryPartitions } from './store/partitions.js';
export { listChains, pgLogSource } from './store/pg-log-source.js';
export { verifyChain } from './verify/verify-chain.js';
export type { VerifyOptions } from './verify/verify-chain.js';
export type { AuditLogSource, LinkedEntry, StoredEntry } from './verify/log-source.js';
export type { TamperFinding, TamperKind, VerifyReport } from './verify/tamper.js';
export { startService } from './service.js';
export type { AuditServiceOptions, RunningAuditService } from './service.js';
export { loadAuditConfig } from './config.js';
export type { AuditConfig } from './config.js';
export { verifyExport } from './export/verify-export.js';
export type { ExportVerification } from './export/verify-export.js';
export { disclosuresCsv } from './queries/disclosures-csv.js';
export { createIngest, ingestPoolSize } from './ingest/ingest.js';
export type { Ingest, IngestOptions, IngestTransport } from './ingest/ingest.js';
export { verifyChainParallel } from './verify/parallel-verify.js';
export type { ParallelVerifyOptions } from './verify/parallel-verify.js';
export { queryEntries } from './queries/entry-query.js';
export type { EntryFilter, EntryPage } from './queries/entry-query.js';
