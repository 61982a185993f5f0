import {
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthService,
} from '@medspa/contracts/grpc.health.v1';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from './handlers.js';

export { ServingStatus };

/** The serving status of the server (`''`) and of each service on it. */
export interface HealthRegistry {
  /** Adds a service, NOT_SERVING until the server is marked ready. */
  register(serviceName: string): void;
  /** Sets the overall status and that of every registered service. */
  setAll(status: ServingStatus.SERVING | ServingStatus.NOT_SERVING): void;
  status(serviceName: string): ServingStatus | undefined;
  /** NOT_SERVING everywhere, then ends every Watch so that draining isn't held up by probes. */
  close(): void;
  readonly closed: boolean;
  /** Resolves on the next change (or close, or abort). */
  nextChange(signal: AbortSignal): Promise<void>;
}

/** A registry that starts NOT_SERVING: a pod takes traffic only after `markReady()`. */
export function createHealthRegistry(): HealthRegistry {
  const statuses = new Map<string, ServingStatus>([['', ServingStatus.NOT_SERVING]]);
  let waiters: (() => void)[] = [];
  let closed = false;
  const notify = () => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };
  return {
    register(serviceName) {
      if (!statuses.has(serviceName))
        statuses.set(serviceName, statuses.get('') ?? ServingStatus.NOT_SERVING);
      notify();
    },
    setAll(status) {
      if (closed) return; // once draining, nothing may report SERVING again
      for (const name of statuses.keys()) statuses.set(name, status);
      notify();
    },
    status: (serviceName) => statuses.get(serviceName),
    close() {
      for (const name of statuses.keys()) statuses.set(name, ServingStatus.NOT_SERVING);
      closed = true;
      notify();
    },
    get closed() {
      return closed;
    },
    nextChange(signal) {
      if (closed || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}

/** grpc.health.v1 handlers over a registry (served as public methods: probes carry no token). */
export function healthHandlers(registry: HealthRegistry): ServiceHandlers<typeof HealthService> {
  return {
    check(request: HealthCheckRequest): HealthCheckResponse {
      const status = registry.status(request.service);
      if (status === undefined) throw errors.notFound('HEALTH_SERVICE_UNKNOWN', 'Unknown service');
      return { status };
    },
    async *watch(request: HealthCheckRequest, ctx): AsyncIterable<HealthCheckResponse> {
      let last: ServingStatus | undefined;
      for (;;) {
        const status = registry.status(request.service) ?? ServingStatus.SERVICE_UNKNOWN;
        if (status !== last) {
          last = status;
          yield { status };
        }
        if (registry.closed || ctx.signal.aborted) return;
        await registry.nextChange(ctx.signal);
      }
    },
  };
}
