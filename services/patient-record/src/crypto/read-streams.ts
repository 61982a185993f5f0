import type { Pool } from '@medspa/db';
import { createEventStore, type EventCodec, type RecordedEvent } from '@medspa/eventstore';

/** Reads several whole streams in one query, decoded (decrypted) by the store's codec. */
export type ReadStreams = (streamIds: readonly string[]) => Promise<Map<string, RecordedEvent[]>>;

/** Decrypts events the service read with its own SQL (beside a read model), as the store's reads do. */
export type DecodeEvents = (events: readonly RecordedEvent[]) => Promise<RecordedEvent[]>;

export const createEventsDecoder =
  (codec: EventCodec): DecodeEvents =>
  (events) =>
    Promise.all(events.map((e) => codec.decode(e)));

/**
 * Opening a chart folds every encounter of a patient: one round trip for all of them instead of
 * one per stream. The event store's `readStreams` does it (same columns, order and decoding as its
 * `readStream`); this keeps the signature patient-record's wiring was built on.
 */
export function createStreamsReader(pool: Pool, schema: string, codec: EventCodec): ReadStreams {
  const store = createEventStore(pool, { schema, codec });
  return (streamIds) => store.readStreams(streamIds);
}
