import { baseServiceConfig, duration, grpcAddress, httpServerConfig, loadConfig } from '@medspa/config';
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
  REDIS_URL,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  ...httpServerConfig,
  HTTP_HOST: z.string().default('127.0.0.1'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  // Identity (gRPC): its public signing keys are served at /.well-known/jwks.json.
  IDENTITY_GRPC_ADDR: grpcAddress(),
  // How long the key set is cached here and may be cached by the services' verifiers.
  JWKS_CACHE_TTL: duration('30s'),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig(gatewayConfigSchema, env);
