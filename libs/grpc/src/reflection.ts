import { fileURLToPath } from 'node:url';
import type { Server } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/** The repo's `proto/` directory; images must ship it (or pass `protoRoot`) for reflection. */
export const DEFAULT_PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

export const HEALTH_PROTO = 'grpc/health/v1/health.proto';

/**
 * Serves grpc.reflection (v1 and v1alpha) for the given .proto files, so grpcurl and Postman can
 * discover the API. The ts-proto code carries no descriptors, hence proto-loader reads the
 * sources. Reflection only describes the schema: it exposes no data and needs no token.
 */
export function addReflection(server: Server, protoFiles: readonly string[], protoRoot = DEFAULT_PROTO_ROOT) {
  const files = [...new Set([HEALTH_PROTO, ...protoFiles])];
  const definition = loadSync(files, { includeDirs: [protoRoot], keepCase: true, defaults: true });
  new ReflectionService(definition).addToServer(server);
}
