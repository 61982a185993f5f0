import {
  baseServiceConfig,
  commaList,
  grpcServerConfig,
  httpUrl,
  integer,
  loadConfig,
  requiredWhen,
  type ConfigRule,
  type RawConfig,
} from '@medspa/config';
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
  /**
   * Who holds the key-encryption key that wraps the signing keys and the clinics' data keys:
   * `local` key files (embedded mode) or `aws` KMS (the cluster). Same names as patient-record's.
   */
  KMS_PROVIDER: z.enum(['local', 'aws']).default('local'),
  /** Renamed KMS_PROVIDER: refused, so a stale manifest cannot fall back to local key files. */
  KMS_MODE: z.undefined({ error: 'was renamed KMS_PROVIDER' }),
  KMS_LOCAL_DIR: z.string().min(1).default('.data/kms'),
  /** The local KEK's id (KMS_PROVIDER=local); with aws the KEK is AWS_KMS_KEY_ID. */
  KMS_KEK_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .default('identity-kek'),
  /** The KEK in AWS KMS: an alias (`alias/identity-kek`), a key ARN or a key id. */
  AWS_KMS_KEY_ID: z
    .string()
    .regex(/^(alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:\S+|[0-9a-f-]{36})$/, {
      error: 'must be an alias/..., a key ARN or a key id',
    })
    .optional(),
  AWS_REGION: z.string().min(1).optional(),
  /** A KMS-compatible endpoint (local-kms in tests); AWS's own when unset. */
  AWS_KMS_ENDPOINT: httpUrl().optional(),
  /** The name authenticator apps show next to the code. */
  TOTP_ISSUER: z.string().min(1).max(64).default('MedSpa'),
  /** Service principals (`svc:<name>`) allowed to create clinics. */
  PLATFORM_ADMIN_SUBJECTS: commaList(z.string().regex(/^svc:[a-z][a-z0-9-]*$/)).default(['svc:platform']),
  /** Pool size of the app role: requests, plus one connection per projection. */
  DATABASE_POOL_MAX: integer({ min: 2, max: 100 }, 10),
  /**
   * Password hashes computed at once (each holds 19 MiB and a core). Unset: this machine's cores,
   * which under a container CPU limit are the host's: set it to the pod's CPUs there, or a burst of
   * sign-ins can take the memory of one hash per host core.
   */
  ARGON2_LANES: integer({ min: 1, max: 64 }).optional(),
});

export type IdentityConfig = z.output<typeof identityConfigSchema>;

const aws = (raw: RawConfig): boolean => raw.KMS_PROVIDER === 'aws';
const kmsRules: ConfigRule[] = ['AWS_KMS_KEY_ID', 'AWS_REGION'].map((key) =>
  requiredWhen(key, { keys: ['KMS_PROVIDER'], holds: aws, because: 'KMS_PROVIDER=aws' }),
);

export const loadIdentityConfig = (env: NodeJS.ProcessEnv = process.env): IdentityConfig =>
  loadConfig(identityConfigSchema, env, { rules: kmsRules });
