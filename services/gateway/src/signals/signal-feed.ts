import { eventsTopic, type MessageHandler } from '@medspa/messaging';
import type { Logger } from '@medspa/observability';
import { signalOf } from './signal.js';
import type { SignalBus } from './signal-bus.js';

/** The services whose events can become signals (see `defaultSignalPermission`). */
export const SIGNAL_SERVICES = ['scheduling', 'patient-record', 'billing', 'notification'] as const;

/** The topics the gateway's signal consumer subscribes to. */
export const signalTopics = (services: readonly string[] = SIGNAL_SERVICES, prefix = ''): string[] =>
  services.map((service) => eventsTopic(service, prefix));

/**
 * The handler of the gateway's event consumer (`createKafkaConsumer` or
 * `createPostgresTailConsumer`): each integration event becomes a signal on the bus. Signals are
 * best effort (clients re-read on reconnect), so a bus failure is logged and the message is not
 * retried or parked.
 */
export function signalFeed(bus: SignalBus, logger?: Logger): MessageHandler {
  return async (message) => {
    const signal = signalOf(message);
    if (signal === undefined) return;
    try {
      await bus.publish(signal);
    } catch (error) {
      logger?.warn({ errorClass: (error as Error).name, type: signal.type }, 'signal not published');
    }
  };
}
