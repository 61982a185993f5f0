import {
  baseServiceConfig,
  commaList,
  duration,
  grpcAddress,
  httpServerConfig,
  httpUrl,
  loadConfig,
} from '@medspa/config';
import { z } from 'zod';

// The gateway keeps no database of its own: it calls services over gRPC and keeps
// rate limits, idempotency keys and signals in Redis (or in process, embedded).
const { SERVICE_NAME, NODE_ENV, LOG_LEVEL, METRICS_PORT, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT } =
  baseServiceConfig;

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
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig(gatewayConfigSchema, env);
