import {
  baseServiceConfig,
  booleanFlag,
  commaList,
  duration,
  grpcAddress,
  httpServerConfig,
  httpUrl,
  integer,
  loadConfig,
  requiredWhen,
  secret,
  type ConfigRule,
} from '@medspa/config';
import { z } from 'zod';

// The gateway keeps no records: it calls services over gRPC and keeps rate limits, idempotency
// keys and signal fan-out in Redis (or in process, embedded). Its only database is the signal
// consumer's bookkeeping (processed messages, tail checkpoints): messaging tables, no PHI.
const {
  SERVICE_NAME,
  NODE_ENV,
  LOG_LEVEL,
  METRICS_PORT,
  REDIS_URL,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  TRANSPORT,
  KAFKA_BROKERS,
  KAFKA_SSL,
  KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD,
  DATABASE_URL,
  MIGRATION_DATABASE_URL,
} = baseServiceConfig;

/** A base64 key of at least (or exactly) `bytes` bytes, decoded. */
const base64Key = (bytes: number, exact: boolean) =>
  secret()
    .refine((text) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim()), { error: 'must be base64' })
    .transform((text) => Buffer.from(text.trim(), 'base64'))
    .refine((key) => (exact ? key.length === bytes : key.length >= bytes), {
      error: exact ? `must decode to exactly ${bytes} bytes` : `must decode to at least ${bytes} bytes`,
    });

// Limits go up to a billion so that a benchmark can lift them (MEDSPA_GATEWAY_<KEY> under make run).
const limit = (fallback: number) => integer({ min: 1, max: 1_000_000_000 }, fallback);

/** `TRUST_PROXY`: `false`, `true`, a hop count, or comma-separated addresses/CIDRs of the proxies. */
const trustProxy = z
  .string()
  .default('false')
  .transform((text): boolean | number | string[] => {
    const value = text.trim().toLowerCase();
    if (value === 'false' || value === '0') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    return value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
  });

export const gatewayConfigSchema = z.object({
  SERVICE_NAME: SERVICE_NAME.default('gateway'),
  NODE_ENV,
  LOG_LEVEL,
  METRICS_PORT,
  // Sessions' activity and revocations (and the plugins' counters) are shared through Redis
  // across replicas; without it they are kept in process (embedded default, one gateway).
  REDIS_URL,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  ...httpServerConfig,
  HTTP_HOST: z.string().default('127.0.0.1'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  // A whole request (headers and body) must arrive within this.
  REQUEST_TIMEOUT: duration('30s'),
  // Each call to a service gets this deadline; past it the client gets 504.
  UPSTREAM_DEADLINE: duration('10s'),
  // The services behind the REST API (gRPC), named as the chart and `make run` set them.
  IDENTITY_GRPC_ADDR: grpcAddress(),
  SCHEDULING_GRPC_ADDR: grpcAddress(),
  PATIENT_RECORD_GRPC_ADDR: grpcAddress(),
  AUDIT_GRPC_ADDR: grpcAddress(),
  // The `iss` identity signs access tokens with (its IDENTITY_ISSUER); verified here too.
  TOKEN_ISSUER: httpUrl().default('https://identity.medspa.local'),
  // How long the key set is cached here and may be cached by the services' verifiers.
  JWKS_CACHE_TTL: duration('30s'),
  // Automatic logoff: a session without a request for this long is refused (HIPAA 164.312(a)(2)(iii)).
  SESSION_IDLE_TIMEOUT: duration('15m'),
  // Browser origins of the staff and patient web apps, e.g. https://staff.example.com. None: no CORS.
  CORS_ORIGINS: commaList(httpUrl()).optional(),
  // The ingress in front of the gateway: without it request.ip is the load balancer's address and
  // every client shares one rate-limit bucket. A hop count (e.g. 1) or the proxies' CIDRs.
  TRUST_PROXY: trustProxy,
  // Rate limits (fixed windows; see src/plugins/README.md). A benchmark raises them (never 0) or,
  // since its load comes from one address, turns them off: RATE_LIMIT_ENABLED=false.
  RATE_LIMIT_ENABLED: booleanFlag(true),
  RATE_LIMIT_PER_CLIENT: limit(600),
  RATE_LIMIT_WINDOW: duration('1m'),
  RATE_LIMIT_SIGN_IN_PER_IP: limit(20), // per 15 minutes
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: limit(10), // per 15 minutes, across all IPs
  RATE_LIMIT_MFA_PER_IP: limit(10), // per 5 minutes
  RATE_LIMIT_MFA_PER_CHALLENGE: limit(5), // per 5 minutes, whichever IPs send the codes
  RATE_LIMIT_REFRESH_PER_IP: limit(60), // per minute
  // Pseudonymizes client IPs and account names in rate-limit keys (HMAC). Required in production;
  // elsewhere a random one per process (one embedded gateway, counters in memory or short-lived).
  RATE_LIMIT_KEY_SECRET: base64Key(32, false).optional(),
  // Seals (AES-256-GCM) the stored answers to Idempotency-Key requests. Same rule as above.
  IDEMPOTENCY_SEAL_KEY: base64Key(32, true).optional(),
  IDEMPOTENCY_TTL: duration('24h'),
  SIGNALS_HEARTBEAT: duration('15s'),
  // The producers whose events become signals (their outboxes are tailed, or their topics read).
  SIGNAL_SOURCES: commaList(
    z.enum(['scheduling', 'patient-record', 'billing', 'notification'], {
      error: 'must be scheduling, patient-record, billing or notification',
    }),
  ).default(['scheduling', 'patient-record']),
  // The signal consumer's bookkeeping (schema `gateway`: messaging tables only). Without it the
  // gateway serves /v1/signals but feeds it nothing (skeleton tests).
  DATABASE_URL: DATABASE_URL.optional(),
  MIGRATION_DATABASE_URL,
  TRANSPORT,
  KAFKA_BROKERS,
  KAFKA_SSL,
  KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD,
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

const production = {
  keys: ['NODE_ENV'],
  holds: (raw: Readonly<Record<string, string | undefined>>) =>
    (raw.NODE_ENV ?? 'production') === 'production',
  because: 'NODE_ENV=production',
};

/** In production the keys are shared by every replica (and a random one would break replays). */
export const gatewayConfigRules: readonly ConfigRule[] = [
  requiredWhen('RATE_LIMIT_KEY_SECRET', production),
  requiredWhen('IDEMPOTENCY_SEAL_KEY', production),
  requiredWhen('DATABASE_URL', production),
];

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig(gatewayConfigSchema, env, { rules: gatewayConfigRules });
