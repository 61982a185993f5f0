import { quoteIdent } from '@medspa/db';
import { recordedEventOf, type EventRow, type EventStore, type RecordedEvent } from '@medspa/eventstore';

/** A stream and the version up to which its events are already known (0: none). */
export interface KnownVersion {
  streamId: string;
  afterVersion: number;
}

// The store's own columns and row mapping (recordedEventOf); identity's store has no upcasters or
// codec, so rows map exactly as `store.readStream` would map them.
const COLUMNS = `t.event_id, t.event_type, t.schema_version, t.data, t.metadata, t.stream_id, t.stream_type,
  t.stream_version, t.global_position, t.transaction_id::text AS transaction_id, t.recorded_at`;

/**
 * The events of several streams newer than the versions already known (for a stream asked for
 * twice, newer than the lower one), in ONE statement (a
 * prepared one, on the primary key): what keeps remembered states exactly as current as the log.
 * TODO(libs/eventstore): this belongs beside `readStreams` as an `afterVersion` per stream.
 */
export async function eventsAfter(
  store: EventStore,
  known: readonly KnownVersion[],
): Promise<Map<string, RecordedEvent[]>> {
  // A stream asked for twice is read once, after the lower of its versions (a stream repeated in
  // the unnest would repeat its events).
  const after = new Map<string, number>();
  for (const k of known) after.set(k.streamId, Math.min(k.afterVersion, after.get(k.streamId) ?? Infinity));
  const byStream = new Map<string, RecordedEvent[]>([...after.keys()].map((id) => [id, []]));
  if (after.size === 0) return byStream;
  const { rows } = await store.pool.query<EventRow>({
    name: `identity.eventsAfter.${store.schema}`,
    text: `SELECT ${COLUMNS}
      FROM unnest($1::text[], $2::bigint[]) AS k(stream_id, after_version)
      JOIN ${quoteIdent(store.schema)}.events t
        ON t.stream_id = k.stream_id AND t.stream_version > k.after_version
      ORDER BY t.stream_id, t.stream_version`,
    values: [[...after.keys()], [...after.values()]],
  });
  for (const row of rows) byStream.get(row.stream_id)?.push(recordedEventOf(row));
  return byStream;
}
