/** The slice of a pino logger the gRPC kit writes to; pass the service's logger. */
export interface GrpcLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Drops everything; the default when a test or tool passes no logger. */
export const silentLogger: GrpcLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
