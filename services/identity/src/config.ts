import { baseServiceConfig, commaList, grpcServerConfig, httpUrl, integer, loadConfig } from '@medspa/config';
import { z } from 'zod';

const { SERVICE_NAME, NODE_ENV, LOG_LEVEL, METRICS_PORT, DATABASE_URL, MIGRATION_DATABASE_URL } =
  baseServiceConfig;
const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG } = baseServiceConfig;

// Identity issues the tokens every other service verifies; it verifies its own against its own keys,
// so it takes none of the token-verification keys.
export const identityConfigSchema = z.object({
  SERVICE_NAME: SERVICE_NAME.default('identity'),
  NODE_ENV,
  LOG_LEVEL,
  METRICS_PORT,
  DATABASE_URL,
  MIGRATION_DATABASE_URL,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_TRACES_SAMPLER_ARG,
  ...grpcServerConfig,
  /** `iss` of every access token; verifiers are configured with the same value. */
  IDENTITY_ISSUER: httpUrl().default('https://identity.medspa.local'),
  /** Embedded: a local key file KMS. (AWS KMS for the cluster is still to be wired, see README.) */
  KMS_MODE: z.enum(['local']).default('local'),
  KMS_LOCAL_DIR: z.string().min(1).default('.data/kms'),
  /** The key-encryption key that wraps the signing keys and the clinics' data keys. */
  KMS_KEK_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .default('identity-kek'),
  /** The name authenticator apps show next to the code. */
  TOTP_ISSUER: z.string().min(1).max(64).default('MedSpa'),
  /** Service principals (`svc:<name>`) allowed to create clinics. */
  PLATFORM_ADMIN_SUBJECTS: commaList(z.string().regex(/^svc:[a-z][a-z0-9-]*$/)).default(['svc:platform']),
  /** Pool size of the app role: requests, plus one connection per projection. */
  DATABASE_POOL_MAX: integer({ min: 2, max: 100 }, 10),
});

export type IdentityConfig = z.output<typeof identityConfigSchema>;

export const loadIdentityConfig = (env: NodeJS.ProcessEnv = process.env): IdentityConfig =>
  loadConfig(identityConfigSchema, env);
