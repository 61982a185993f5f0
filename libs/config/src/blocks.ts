import { z } from 'zod';
import {
  booleanFlag,
  commaList,
  grpcAddress,
  hostPort,
  httpUrl,
  port,
  postgresUrl,
  ratio,
  redisUrl,
  secret,
} from './fields.js';

// Building blocks that service schemas spread into one `z.object({...})`. They are plain shapes,
// not objects with refinements, because zod cannot extend a refined object; the checks that span
// several keys live in rules.ts and the loader applies them whenever their keys are present.

/** Keys every service reads: identity, logging, its database, telemetry and the event transport. */
export const baseServiceConfig = {
  SERVICE_NAME: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lowercase service name' }),
  // Production unless told otherwise, so that a forgotten variable fails closed.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // No default: in embedded mode every service shares one host, so a fixed default port would clash.
  METRICS_PORT: port().optional(),
  DATABASE_URL: postgresUrl(),
  // Only the `migrate` command needs the owner role; the service itself must not hold it.
  MIGRATION_DATABASE_URL: postgresUrl().optional(),
  // Traces are exported only when an OTLP endpoint is set; ids are still made and propagated.
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl().optional(),
  OTEL_TRACES_SAMPLER_ARG: ratio(1),
  TRANSPORT: z.enum(['postgres-tail', 'kafka']).default('postgres-tail'),
  KAFKA_BROKERS: commaList(hostPort()).optional(),
  KAFKA_SSL: booleanFlag(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: secret().optional(),
  // Without it the service uses in-process equivalents (embedded mode, single replica).
  REDIS_URL: redisUrl().optional(),
};

/** For services that serve gRPC (every backend service). */
export const grpcServerConfig = {
  GRPC_PORT: port(50051),
};

/** For services that serve HTTP (the gateway, webhooks). */
export const httpServerConfig = {
  HTTP_PORT: port(8080),
};

/**
 * For services that verify access tokens: the key set comes from JWKS_URL or from the identity
 * service over gRPC; one of the two is required (see rules.ts). Identity itself does not use this.
 */
export const tokenVerificationConfig = {
  JWKS_URL: httpUrl().optional(),
  IDENTITY_GRPC_ADDR: grpcAddress().optional(),
};

type SnakeCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}_${SnakeCase<Tail>}` : S;

/** `patient-record` -> `PATIENT_RECORD_GRPC_ADDR`, the variable the chart and `make run` both set. */
export type PeerAddressKey<S extends string> = `${Uppercase<SnakeCase<S>>}_GRPC_ADDR`;

/** The env key holding a peer's gRPC address. */
export function peerAddressKey<S extends string>(service: S): PeerAddressKey<S> {
  return `${service.replaceAll('-', '_').toUpperCase()}_GRPC_ADDR` as PeerAddressKey<S>;
}

/** Required `<SERVICE>_GRPC_ADDR` keys for the peers a service calls. */
export function peerAddresses<const S extends string>(
  services: readonly S[],
): { [K in S as PeerAddressKey<K>]: z.ZodType<string, string> } {
  return Object.fromEntries(services.map((s) => [peerAddressKey(s), grpcAddress()])) as {
    [K in S as PeerAddressKey<K>]: z.ZodType<string, string>;
  };
}
