import { errors, isAppError } from '@medspa/errors';
import type { Decider } from './decider.js';
import type { EventStore } from './store.js';
import type { DomainEvent, EventMetadata } from './types.js';

export interface HandleCommandInput<Command> {
  streamId: string;
  streamType: string;
  command: Command;
  metadata: EventMetadata;
  /** The version the client last saw (e.g. an If-Match); a mismatch is a conflict, never retried. */
  expectedVersion?: number;
  /** Ids for the new events, so a retried request appends nothing twice. */
  eventIds?: string[];
  maxAttempts?: number;
}

export interface HandleCommandResult<State, Event> {
  state: State;
  newEvents: Event[];
  nextExpectedVersion: number;
}

/**
 * Load, decide, append. A concurrent writer makes the append conflict; the command is then decided
 * again on the fresh state, a bounded number of times, and the conflict reported after that.
 * A stream of another tenant is reported as not found, so its existence is not disclosed.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  input: HandleCommandInput<Command>,
): Promise<HandleCommandResult<State, Event>> {
  const maxAttempts = input.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const { state, version, events } = await store.aggregateStream(input.streamId, decider);
    if (events.some((e) => e.metadata.tenantId !== input.metadata.tenantId)) {
      throw errors.notFound('STREAM_NOT_FOUND', `${input.streamType} not found`);
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
      throw errors.conflict(
        'STALE_VERSION',
        `${input.streamType} changed since version ${input.expectedVersion}`,
      );
    }
    const newEvents = decider.decide(input.command, state);
    if (newEvents.length === 0) return { state, newEvents, nextExpectedVersion: version };
    try {
      const result = await store.append(
        input.streamId,
        input.streamType,
        version,
        newEvents,
        input.metadata,
        {
          ...(input.eventIds ? { eventIds: input.eventIds } : {}),
        },
      );
      const next = result.idempotentReplay ? state : newEvents.reduce(decider.evolve, state);
      return { state: next, newEvents, nextExpectedVersion: result.nextExpectedVersion };
    } catch (e) {
      const retriable =
        isAppError(e) && e.reason === 'STREAM_VERSION_CONFLICT' && input.expectedVersion === undefined;
      if (!retriable || attempt >= maxAttempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}
