import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ServerCredentials, type ServerOptions, type ServiceDefinition } from '@grpc/grpc-js';
import type { TokenVerifier } from '@medspa/auth';
import { HealthService } from '@medspa/contracts/grpc.health.v1';
import { errors } from '@medspa/errors';
import type { CallGate } from './call-runner.js';
import { wrapHandler, type AnyServiceDefinition, type ServiceHandlers } from './handlers.js';
import { createHealthRegistry, healthHandlers, ServingStatus, type HealthRegistry } from './health.js';
import { silentLogger, type GrpcLogger } from './logger.js';
import { addReflection } from './reflection.js';
import { grpcTlsFromEnv, healthPortFromEnv } from './tls.js';

export interface GrpcServerOptions {
  /** The deployable's name (`scheduling`), for logs. */
  serviceName: string;
  verifier: TokenVerifier;
  logger?: GrpcLogger;
  /** .proto files (relative to `protoRoot`) to describe over reflection; health is always included. */
  protoFiles?: readonly string[];
  protoRoot?: string;
  /** Serve grpc.reflection. Default true. */
  reflection?: boolean;
  /**
   * Default: mutual TLS when GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE and GRPC_TLS_CA_FILE are set
   * (see tls.ts), else insecure (the embedded default).
   */
  credentials?: ServerCredentials;
  /**
   * A plaintext port serving grpc.health.v1 only, for kubelet's gRPC probes when the main port
   * requires client certificates. Default: GRPC_HEALTH_PORT when the server uses TLS from the env.
   */
  healthPort?: number;
  grpcOptions?: ServerOptions;
}

export interface AddServiceOptions<D extends AnyServiceDefinition> {
  /** Methods callable without a token; their handlers get no principal. Use for health-like methods only. */
  publicMethods?: readonly (keyof D & string)[];
}

export interface DrainOptions {
  /** How long in-flight calls may take before they are aborted. Default 10 s. */
  graceMs?: number;
  /** Keep serving this long after health turns NOT_SERVING, so load balancers stop routing first. */
  delayMs?: number;
}

export interface DrainResult {
  /** True when the grace period ran out and remaining calls were cut off. */
  forced: boolean;
  abortedCalls: number;
}

/** A gRPC server with auth, health, reflection and graceful drain built in. */
export interface GrpcServer {
  /** Registers a service; handlers are `async (request, ctx) => response`. Call before listen(). */
  addService<D extends AnyServiceDefinition>(
    definition: D,
    handlers: ServiceHandlers<D>,
    options?: AddServiceOptions<D>,
  ): void;
  /** Binds (e.g. `0.0.0.0:50051`, `127.0.0.1:0`) and starts serving; resolves to the port. */
  listen(address: string): Promise<number>;
  /** Health turns SERVING: call once dependencies (database, consumers) are up. */
  markReady(): void;
  /** Health turns NOT_SERVING without stopping, e.g. while a dependency is down. */
  markNotReady(): void;
  /** NOT_SERVING, stop accepting, let in-flight calls finish, force after the grace period. */
  drain(options?: DrainOptions): Promise<DrainResult>;
  readonly health: HealthRegistry;
  readonly inFlight: number;
  /** The underlying grpc-js server, for what the kit does not cover. */
  readonly grpcServer: Server;
}

const serviceNameOf = (definition: AnyServiceDefinition): string => {
  const first = Object.values(definition)[0];
  if (first === undefined) throw new TypeError('A service definition needs at least one method');
  return first.path.split('/')[1] ?? '';
};

/** Creates the server every service runs; see GrpcServer for the lifecycle. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const logger = options.logger ?? silentLogger;
  const server = new Server(options.grpcOptions);
  const health = createHealthRegistry();
  const inFlight = new Set<AbortController>();
  let draining = false;
  let listening = false;
  let drained: Promise<DrainResult> | undefined;

  const gate: CallGate = {
    verifier: options.verifier,
    logger,
    isDraining: () => draining,
    track(abort) {
      inFlight.add(abort);
      return () => inFlight.delete(abort);
    },
  };

  const addService = <D extends AnyServiceDefinition>(
    definition: D,
    handlers: ServiceHandlers<D>,
    addOptions: AddServiceOptions<D> = {},
    registerHealth = true,
  ) => {
    if (listening) throw new Error('Add services before listen()');
    const publicMethods = new Set<string>(addOptions.publicMethods ?? []);
    const implementation = Object.fromEntries(
      Object.entries(definition).map(([name, method]) => [
        name,
        wrapHandler(gate, method, handlers[name], publicMethods.has(name)),
      ]),
    );
    server.addService(definition as unknown as ServiceDefinition, implementation);
    if (registerHealth) health.register(serviceNameOf(definition));
  };

  addService(HealthService, healthHandlers(health), { publicMethods: ['check', 'watch'] }, false);

  const envTls = options.credentials === undefined ? grpcTlsFromEnv() : undefined;
  const healthPort = options.healthPort ?? (envTls === undefined ? undefined : healthPortFromEnv());
  let healthServer: Server | undefined;
  const listenHealth = async (address: string) => {
    if (healthPort === undefined) return;
    healthServer = new Server();
    const handlers = healthHandlers(health);
    healthServer.addService(
      HealthService,
      Object.fromEntries(
        Object.entries(HealthService).map(([name, method]) => [
          name,
          wrapHandler(gate, method, handlers[name as keyof typeof handlers], true),
        ]),
      ),
    );
    const host = address.slice(0, address.lastIndexOf(':'));
    const server = healthServer;
    await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${healthPort}`, ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
  };

  const drain = async ({ graceMs = 10_000, delayMs = 0 }: DrainOptions): Promise<DrainResult> => {
    health.close();
    logger.info({ service: options.serviceName, inFlight: inFlight.size }, 'gRPC server draining');
    if (delayMs > 0) await sleep(delayMs);
    draining = true;
    healthServer?.forceShutdown();
    const closed = new Promise<false>((resolve) => server.tryShutdown(() => resolve(false)));
    const timer = new AbortController();
    const timedOut = sleep(graceMs, true, { signal: timer.signal }).catch(() => false);
    const forced = await Promise.race([closed, timedOut]);
    timer.abort();
    if (!forced) return { forced: false, abortedCalls: 0 };
    const abortedCalls = inFlight.size;
    for (const call of inFlight)
      call.abort(errors.unavailable('SERVER_DRAIN_TIMEOUT', 'The server shut down'));
    server.forceShutdown();
    logger.warn({ service: options.serviceName, abortedCalls }, 'gRPC drain grace period ran out');
    return { forced: true, abortedCalls };
  };

  return {
    addService: (definition, handlers, addOptions) => addService(definition, handlers, addOptions),
    async listen(address) {
      if (!listening && options.reflection !== false) {
        addReflection(server, options.protoFiles ?? [], options.protoRoot);
      }
      listening = true;
      const credentials = options.credentials ?? envTls?.server ?? ServerCredentials.createInsecure();
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, credentials, (err, boundPort) => (err ? reject(err) : resolve(boundPort))),
      );
      await listenHealth(address);
      logger.info({ service: options.serviceName, port }, 'gRPC server listening');
      return port;
    },
    markReady: () => health.setAll(ServingStatus.SERVING),
    markNotReady: () => health.setAll(ServingStatus.NOT_SERVING),
    drain: (drainOptions = {}) => (drained ??= drain(drainOptions)),
    health,
    get inFlight() {
      return inFlight.size;
    },
    grpcServer: server,
  };
}
