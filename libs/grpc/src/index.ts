export * from './client.js';
export { currentCallContext, type CallContext } from './context.js';
export type {
  AnyMethod,
  AnyServiceDefinition,
  HandlerFor,
  RequestOf,
  ResponseOf,
  ServerStreamHandler,
  ServiceHandlers,
  UnaryHandler,
} from './handlers.js';
export { ServingStatus, type HealthRegistry } from './health.js';
export type { GrpcLogger } from './logger.js';
export { AUTHORIZATION_KEY, REQUEST_ID_KEY, TRACEPARENT_KEY } from './metadata.js';
export { DEFAULT_PROTO_ROOT } from './reflection.js';
export * from './server.js';
export * from './shutdown.js';
export * from './service-main.js';
export * from './tls.js';
export * from './token-verifier.js';
