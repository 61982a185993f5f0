import type { TenantSignal } from './signal.js';

export type SignalListener = (signal: TenantSignal) => void;

/** Fans signals out to the open streams of a tenant. */
export interface SignalBus {
  publish(signal: TenantSignal): Promise<void>;
  /** Resolves once signals published from now on reach `listener`; call the result to stop. */
  subscribe(tenantId: string, listener: SignalListener): Promise<() => Promise<void>>;
  /** Open listeners of a tenant in this process (metrics, tests). */
  listenerCount(tenantId: string): number;
  close(): Promise<void>;
}

/** Listeners by tenant, in this process; the building block of both buses. */
export class TenantListeners {
  private readonly byTenant = new Map<string, Set<SignalListener>>();

  /** Adds a listener; true when it is the tenant's first. */
  add(tenantId: string, listener: SignalListener): boolean {
    const listeners = this.byTenant.get(tenantId) ?? new Set();
    listeners.add(listener);
    this.byTenant.set(tenantId, listeners);
    return listeners.size === 1;
  }

  /** Removes a listener; true when the tenant has none left. */
  remove(tenantId: string, listener: SignalListener): boolean {
    const listeners = this.byTenant.get(tenantId);
    if (listeners === undefined || !listeners.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.byTenant.delete(tenantId);
    return true;
  }

  count(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0;
  }

  dispatch(signal: TenantSignal): void {
    for (const listener of this.byTenant.get(signal.tenantId) ?? []) listener(signal);
  }
}

/** The embedded default (one gateway process): no Redis, signals go straight to local streams. */
export function createInProcessSignalBus(): SignalBus {
  const listeners = new TenantListeners();
  return {
    publish: async (signal) => listeners.dispatch(signal),
    async subscribe(tenantId, listener) {
      listeners.add(tenantId, listener);
      return async () => {
        listeners.remove(tenantId, listener);
      };
    },
    listenerCount: (tenantId) => listeners.count(tenantId),
    close: async () => undefined,
  };
}
