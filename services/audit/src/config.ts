import {
  baseServiceConfig,
  booleanFlag,
  commaList,
  duration,
  grpcServerConfig,
  integer,
  loadConfig,
  tokenVerificationConfig,
} from '@medspa/config';
import { z } from 'zod';

const service = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lowercase service name' });

export const auditConfigSchema = z.object({
  ...baseServiceConfig,
  SERVICE_NAME: baseServiceConfig.SERVICE_NAME.default('audit'),
  ...grpcServerConfig,
  ...tokenVerificationConfig,
  // The `iss` access tokens must carry (identity's issuer URL).
  TOKEN_ISSUER: z.string().min(1),
  // The producing services whose `medspa.<service>.events.v1` topics are audited.
  AUDIT_SOURCES: commaList(service),
  // The Ed25519 checkpoint (and export manifest) signing key, PKCS#8 PEM, mode 0600.
  AUDIT_SIGNING_KEY_FILE: z.string().min(1),
  // Create the key when the file is missing: the embedded default only.
  AUDIT_SIGNING_KEY_AUTO_CREATE: booleanFlag(false),
  // Extra trusted public keys (PEM files, comma separated): keys that signed before a rotation.
  AUDIT_TRUSTED_KEY_FILES: commaList(z.string().min(1)).optional(),
  // T: every chain with unsigned entries is signed at least this often.
  AUDIT_CHECKPOINT_EVERY: duration('60s'),
  // N: a chain is signed as soon as this many entries are unsigned.
  AUDIT_CHECKPOINT_ENTRIES: integer({ min: 1, max: 1_000_000 }, 10_000),
  // Most records per append transaction (group commit across concurrent deliveries).
  AUDIT_INGEST_MAX_BATCH: integer({ min: 1, max: 5_000 }, 500),
  AUDIT_DB_POOL_SIZE: integer({ min: 4, max: 200 }, 20),
});

export type AuditConfig = z.output<typeof auditConfigSchema>;

/** Reads and checks the audit service's environment, listing every problem at once. */
export const loadAuditConfig = (env: NodeJS.ProcessEnv = process.env): AuditConfig =>
  loadConfig(auditConfigSchema, env);
