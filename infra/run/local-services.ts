import path from 'node:path';
import { loadLocalSecrets } from './local-secrets.js';

/** What a service's environment is built from, beyond the supervisor's common keys. */
export interface LocalRunContext {
  /** The run's data folder (`MEDSPA_DATA_DIR`, default `.data/`). */
  dataDir: string;
  /** A port from deploy/local/ports.env (or its override). */
  port: (key: string) => number;
}

/** A service as the embedded default runs it: one process, configured only by environment. */
export interface LocalService {
  name: string;
  /** Entry point relative to the repo root; `main.ts migrate` applies its migrations. */
  entry: string;
  /** Has a schema, roles and migrations of its own. */
  database: boolean;
  /** Serves gRPC on `<NAME>_GRPC_PORT`; the gateway serves HTTP instead. */
  grpc: boolean;
  /** The service's own keys (its config.ts lists them); peers' `<NAME>_GRPC_ADDR` come from the supervisor. */
  env?: (ctx: LocalRunContext) => Record<string, string>;
  /**
   * Producers whose outbox this service tails (the Postgres-tail transport): after their
   * migrations the supervisor grants its app role read access (`grantOutboxRead`). Each must come
   * earlier in LOCAL_SERVICES.
   */
  readsOutboxOf?: readonly string[];
}

/** `iss` of identity's tokens; every verifier's TOKEN_ISSUER is the same value. */
export const IDENTITY_ISSUER = 'https://identity.medspa.local';

/** The producers the audit service ingests; grows with LOCAL_SERVICES. */
export const AUDIT_SOURCES = ['identity', 'patient-record', 'scheduling'] as const;

const kmsDir = (ctx: LocalRunContext): string => path.join(ctx.dataDir, 'kms');

// Services verify tokens against the gateway's key set; they fetch it lazily (first request).
const tokenVerification = (ctx: LocalRunContext): Record<string, string> => ({
  JWKS_URL: `http://127.0.0.1:${ctx.port('GATEWAY_HTTP_PORT')}/.well-known/jwks.json`,
  TOKEN_ISSUER: IDENTITY_ISSUER,
});

/**
 * `MEDSPA_<SERVICE>_<KEY>=value` in the supervisor's environment becomes `<KEY>=value` in that
 * service's: how a benchmark raises the gateway's rate limits under `make run`, e.g.
 * `MEDSPA_GATEWAY_RATE_LIMIT_PER_CLIENT=1000000`. The supervisor's own keys (TRANSPORT,
 * DATABASE_URL, ports, peers) still win.
 */
export function envOverrides(service: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const prefix = `MEDSPA_${envPrefix(service)}_`;
  return Object.fromEntries(
    Object.entries(env)
      .filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && entry[1] !== undefined)
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/** The producers whose events the gateway turns into signals (its consumer tails their outboxes). */
export const SIGNAL_SOURCES = ['scheduling', 'patient-record'] as const;

/** The gateway's keys: generated once into the run's secrets file, kept across restarts. */
const gatewayEnv = (ctx: LocalRunContext): Record<string, string> => {
  const secrets = loadLocalSecrets(path.join(ctx.dataDir, 'local-secrets.json'));
  return {
    TOKEN_ISSUER: IDENTITY_ISSUER,
    // The web apps' dev servers (Vite's default port); MEDSPA_GATEWAY_CORS_ORIGINS overrides it.
    CORS_ORIGINS: 'http://localhost:5173,http://127.0.0.1:5173',
    RATE_LIMIT_KEY_SECRET: secrets.key('gateway.RATE_LIMIT_KEY_SECRET', 32),
    IDEMPOTENCY_SEAL_KEY: secrets.key('gateway.IDEMPOTENCY_SEAL_KEY', 32),
    SIGNAL_SOURCES: SIGNAL_SOURCES.join(','),
    ...envOverrides('gateway'),
  };
};

// Services are added here as they are built; the chart's values list the same set. Start order is
// list order: identity first (it issues the keys), the services, then the gateway (it publishes the
// key set, which the services fetch lazily, and tails the producers' outboxes), audit last.
export const LOCAL_SERVICES: LocalService[] = [
  {
    name: 'identity',
    entry: 'services/identity/src/main.ts',
    database: true,
    grpc: true,
    env: (ctx) => ({ IDENTITY_ISSUER, KMS_LOCAL_DIR: kmsDir(ctx) }),
  },
  {
    name: 'patient-record',
    entry: 'services/patient-record/src/main.ts',
    database: true,
    grpc: true,
    env: (ctx) => ({ ...tokenVerification(ctx), KMS_LOCAL_DIR: kmsDir(ctx) }),
  },
  {
    name: 'scheduling',
    entry: 'services/scheduling/src/main.ts',
    database: true,
    grpc: true,
    env: (ctx) => ({ ...tokenVerification(ctx), GRPC_HOST: '127.0.0.1' }),
  },
  {
    name: 'gateway',
    entry: 'services/gateway/src/main.ts',
    // Its schema holds only the signal consumer's bookkeeping (messaging tables, no PHI).
    database: true,
    grpc: false,
    env: gatewayEnv,
    readsOutboxOf: SIGNAL_SOURCES,
  },
  {
    name: 'audit',
    entry: 'services/audit/src/main.ts',
    database: true,
    grpc: true,
    env: (ctx) => ({
      ...tokenVerification(ctx),
      AUDIT_SOURCES: AUDIT_SOURCES.join(','),
      // The checkpoint signing key never lives in the database; created (0600) on first start.
      AUDIT_SIGNING_KEY_FILE: path.join(ctx.dataDir, 'audit', 'checkpoint-signing-key.pem'),
      AUDIT_SIGNING_KEY_AUTO_CREATE: 'true',
    }),
    readsOutboxOf: AUDIT_SOURCES,
  },
];

/** `patient-record` → `PATIENT_RECORD`, the prefix of its environment variables. */
export const envPrefix = (service: string): string => service.toUpperCase().replaceAll('-', '_');
