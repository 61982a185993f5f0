import type { Pool, Queryable } from '@medspa/db';
import { appendToStream, DuplicateEventIds, resolveDuplicateAppend, type AppendCondition } from './append.js';
import {
  appendToStreams,
  DuplicateStreamsEventIds,
  resolveDuplicateStreamsAppend,
} from './append-streams.js';
import type { Decider } from './decider.js';
import { newId } from './ids.js';
import {
  probeNewEvents,
  readAllEvents,
  readStreamEvents,
  readStreamsEvents,
  type NewsProbe,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
} from './read.js';
import { currentSchemaVersion, type Upcasters } from './upcasting.js';
import type {
  AppendResult,
  Checkpoint,
  DomainEvent,
  EventMetadata,
  ExpectedVersion,
  OutboxMessage,
  RecordedEvent,
} from './types.js';

/** What the outbox mapper is told of each appended event. */
export interface AppendedEvent {
  event: DomainEvent;
  eventId: string;
  streamId: string;
  streamType: string;
  metadata: EventMetadata;
  occurredAt: Date;
}

/**
 * Encodes event data for storage and back, e.g. encrypting PHI fields per patient. Deciders see
 * plaintext; the log holds what `encode` returns. `decode` must not throw for a crypto-shredded
 * subject: it returns the event with the shredded fields left out, so that readers of the whole log
 * (projections, the relay) keep going instead of retrying one event forever.
 */
export interface EventCodec {
  encode: (event: DomainEvent, ctx: { streamId: string; metadata: EventMetadata }) => Promise<DomainEvent>;
  decode: (event: RecordedEvent) => Promise<RecordedEvent>;
}

export interface EventStoreOptions {
  schema: string;
  upcasters?: Upcasters;
  codec?: EventCodec;
  /** Maps every domain event to its integration message (one exhaustive function per service). */
  toOutbox?: (appended: AppendedEvent) => OutboxMessage;
  now?: () => Date;
}

export interface AppendOptions {
  /** A client inside the caller's transaction; the pool otherwise. */
  db?: Queryable;
  eventIds?: string[];
  /** Written only if this holds, checked in the append's own statement (`AppendConditionUnmet`). */
  onlyIf?: AppendCondition;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: DomainEvent[];
  eventIds?: string[];
}

export interface AggregateResult<State, Event extends DomainEvent> {
  state: State;
  /** The stream's version: 0 when it has no events. */
  version: number;
  events: RecordedEvent<Event>[];
}

export type EventStore = ReturnType<typeof createEventStore>;

/** An event store over one service's schema. */
export function createEventStore(pool: Pool, options: EventStoreOptions) {
  const { schema, codec, toOutbox } = options;
  const upcasters = options.upcasters ?? {};
  const now = options.now ?? (() => new Date());

  async function decodeAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    return codec ? Promise.all(events.map((e) => codec.decode(e))) : events;
  }

  async function append(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: DomainEvent[],
    metadata: EventMetadata,
    opts: AppendOptions = {},
  ): Promise<AppendResult> {
    const db = opts.db ?? pool;
    const eventIds = events.map((_, i) => opts.eventIds?.[i] ?? newId());
    const occurredAt = now();
    const outbox = toOutbox
      ? events.map((event, i) =>
          toOutbox({ event, eventId: eventIds[i]!, streamId, streamType, metadata, occurredAt }),
        )
      : [];
    const stored = codec
      ? await Promise.all(events.map((e) => codec.encode(e, { streamId, metadata })))
      : events;
    const toAppend = stored.map((event, i) => ({
      event,
      eventId: eventIds[i]!,
      schemaVersion: currentSchemaVersion(upcasters, event.type),
    }));
    try {
      return await appendToStream(db, schema, {
        streamId,
        streamType,
        expectedVersion,
        events: toAppend,
        metadata,
        outbox,
        onlyIf: opts.onlyIf,
      });
    } catch (e) {
      // Inside a caller's transaction the statement error has aborted it: the caller resolves.
      if (e instanceof DuplicateEventIds && opts.db === undefined)
        return resolveDuplicateAppend(pool, schema, e);
      throw e;
    }
  }

  /**
   * Appends to several streams in ONE statement (events + outbox), each at its own expected version:
   * all or nothing, STREAM_VERSION_CONFLICT if any stream moved. Results are in input order.
   * A stream id may appear once.
   */
  async function appendStreams(
    streams: StreamAppend[],
    metadata: EventMetadata,
    opts: { db?: Queryable } = {},
  ): Promise<AppendResult[]> {
    const db = opts.db ?? pool;
    const occurredAt = now();
    const prepared = await Promise.all(
      streams.map(async (s) => {
        const eventIds = s.events.map((_, i) => s.eventIds?.[i] ?? newId());
        const stored = codec
          ? await Promise.all(s.events.map((e) => codec.encode(e, { streamId: s.streamId, metadata })))
          : s.events;
        return {
          streamId: s.streamId,
          streamType: s.streamType,
          expectedVersion: s.expectedVersion,
          eventIds,
          events: stored.map((event, i) => ({
            event,
            eventId: eventIds[i]!,
            schemaVersion: currentSchemaVersion(upcasters, event.type),
          })),
        };
      }),
    );
    const outbox = toOutbox
      ? streams.flatMap((s, si) =>
          s.events.map((event, i) =>
            toOutbox({
              event,
              eventId: prepared[si]!.eventIds[i]!,
              streamId: s.streamId,
              streamType: s.streamType,
              metadata,
              occurredAt,
            }),
          ),
        )
      : [];
    try {
      return await appendToStreams(db, schema, { streams: prepared, metadata, outbox });
    } catch (e) {
      // Inside a caller's transaction the statement error has aborted it: the caller resolves.
      if (!(e instanceof DuplicateStreamsEventIds) || opts.db !== undefined) throw e;
      const replay = await resolveDuplicateStreamsAppend(pool, schema, e);
      return prepared.map(
        (s) =>
          replay.get(s.streamId) ?? {
            nextExpectedVersion: -1,
            globalPositions: [],
            eventIds: [],
            idempotentReplay: true,
          },
      );
    }
  }

  async function readStream(streamId: string, opts: ReadStreamOptions & { db?: Queryable } = {}) {
    return decodeAll(await readStreamEvents(opts.db ?? pool, schema, upcasters, streamId, opts));
  }

  /**
   * Several whole streams in ONE query (upcast and decoded like `readStream`), keyed by stream id;
   * a stream without events maps to an empty array.
   */
  async function readStreams(
    streamIds: readonly string[],
    opts: { db?: Queryable } = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const byStream = await readStreamsEvents(opts.db ?? pool, schema, upcasters, streamIds);
    if (!codec) return byStream;
    const decoded = new Map<string, RecordedEvent[]>();
    await Promise.all([...byStream].map(async ([id, events]) => decoded.set(id, await decodeAll(events))));
    // Keep the caller's order of keys.
    return new Map([...byStream.keys()].map((id) => [id, decoded.get(id)!]));
  }

  async function aggregateStream<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Pick<Decider<C, E, S>, 'evolve' | 'initialState'>,
    opts: ReadStreamOptions & { db?: Queryable } = {},
  ): Promise<AggregateResult<S, E>> {
    const events = (await readStream(streamId, opts)) as RecordedEvent<E>[];
    let state = decider.initialState();
    for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as E);
    return { state, version: events.at(-1)?.streamVersion ?? 0, events };
  }

  async function readAll(
    after: Checkpoint,
    opts: ReadAllOptions & { db?: Queryable } = {},
  ): Promise<ReadAllResult> {
    const result = await readAllEvents(opts.db ?? pool, schema, upcasters, after, opts);
    return { ...result, events: await decodeAll(result.events) };
  }

  /** See `probeNewEvents`: whether each reader has committed events of its types past its position. */
  const probeNews = (probes: readonly NewsProbe[], opts: { db?: Queryable } = {}): Promise<boolean[]> =>
    probeNewEvents(opts.db ?? pool, schema, probes);

  return {
    schema,
    pool,
    append,
    appendStreams,
    readStream,
    readStreams,
    aggregateStream,
    readAll,
    probeNews,
    resolveDuplicate: resolveDuplicateAppend,
    resolveDuplicateStreams: resolveDuplicateStreamsAppend,
  };
}
