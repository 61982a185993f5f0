import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { TenantListeners, type SignalBus } from './signal-bus.js';

export interface RedisSignalBusOptions {
  /** Publishes; may be the gateway's shared client. */
  publisher: Redis;
  /** Subscribes; a connection of its own, since a subscribed Redis connection can do nothing else. */
  subscriber: Redis;
  /** Channel prefix; the tenant id follows. Default `medspa:gateway:signals:`. */
  prefix?: string;
}

// What crosses Redis: the signal and its service, the tenant is the channel. No PHI by construction.
const Wire = z.object({ type: z.string().max(200), id: z.string().max(200), service: z.string().max(100) });

/**
 * Signals across gateway replicas: the replica whose consumer received an event publishes it on
 * the tenant's channel, and every replica with an open stream for that tenant is subscribed to it
 * (only while it has one, so a replica does not receive every clinic's traffic).
 */
export function createRedisSignalBus(options: RedisSignalBusOptions): SignalBus {
  const prefix = options.prefix ?? 'medspa:gateway:signals:';
  const listeners = new TenantListeners();
  const { subscriber, publisher } = options;
  const onMessage = (channel: string, text: string): void => {
    if (!channel.startsWith(prefix)) return;
    const parsed = Wire.safeParse(JSON.parse(text));
    if (parsed.success) listeners.dispatch({ ...parsed.data, tenantId: channel.slice(prefix.length) });
  };
  subscriber.on('message', onMessage);
  // A SUBSCRIBE sent while the connection is still between 'connect' and 'ready' can be lost by
  // ioredis (seen in the int test: the promise resolved, Redis never had the channel).
  const ready = async (): Promise<void> => {
    if (subscriber.status !== 'ready') await once(subscriber, 'ready');
  };
  return {
    async publish({ tenantId, type, id, service }) {
      await publisher.publish(prefix + tenantId, JSON.stringify({ type, id, service }));
    },
    async subscribe(tenantId, listener) {
      if (listeners.add(tenantId, listener)) {
        try {
          await ready();
          await subscriber.subscribe(prefix + tenantId);
        } catch (error) {
          listeners.remove(tenantId, listener);
          throw error;
        }
      }
      return async () => {
        if (listeners.remove(tenantId, listener)) await subscriber.unsubscribe(prefix + tenantId);
      };
    },
    listenerCount: (tenantId) => listeners.count(tenantId),
    async close() {
      subscriber.off('message', onMessage);
    },
  };
}
