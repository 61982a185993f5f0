import { readFileSync } from 'node:fs';
import { ServerCredentials, credentials as grpcCredentials, type ChannelCredentials } from '@grpc/grpc-js';

/** The env keys of mutual TLS between services (the chart mounts a cert-manager Secret there). */
export const GRPC_TLS_KEYS = ['GRPC_TLS_CERT_FILE', 'GRPC_TLS_KEY_FILE', 'GRPC_TLS_CA_FILE'] as const;

/** Server and channel credentials for mutual TLS: each side presents its certificate and checks the other's. */
export interface GrpcTls {
  server: ServerCredentials;
  client: ChannelCredentials;
}

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * Mutual TLS from GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE and GRPC_TLS_CA_FILE (PEM), or undefined when
 * none is set (plaintext, the embedded default). Setting only some of them is an error, so that a
 * typo cannot silently fall back to plaintext. Servers require a client certificate signed by the CA.
 */
export function grpcTlsFromEnv(env: NodeJS.ProcessEnv = process.env): GrpcTls | undefined {
  const missing = GRPC_TLS_KEYS.filter((key) => blank(env[key]));
  if (missing.length === GRPC_TLS_KEYS.length) return undefined;
  if (missing.length > 0) throw new Error(`gRPC TLS is half configured: ${missing.join(', ')} not set`);
  const [cert, key, ca] = GRPC_TLS_KEYS.map((k) => readFileSync(env[k] as string));
  return {
    server: ServerCredentials.createSsl(
      ca as Buffer,
      [{ cert_chain: cert as Buffer, private_key: key as Buffer }],
      true,
    ),
    client: grpcCredentials.createSsl(ca, key, cert),
  };
}

/**
 * The plaintext port for health checks only (GRPC_HEALTH_PORT), used with mutual TLS because
 * kubelet's gRPC probes cannot present a certificate. Undefined when unset.
 */
export function healthPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.GRPC_HEALTH_PORT;
  if (blank(raw)) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error('GRPC_HEALTH_PORT must be a port');
  return port;
}
