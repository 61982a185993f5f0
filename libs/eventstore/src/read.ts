import { quoteIdent, type Queryable } from '@medspa/db';
import { readGapSafe } from './gap-safe.js';
import { upcast, type Upcasters } from './upcasting.js';
import type { Checkpoint, EventMetadata, RecordedEvent } from './types.js';

/** An `events` row as the store selects it (transaction_id as text). */
export interface EventRow {
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  global_position: number;
  transaction_id: string;
  recorded_at: Date;
}

const EVENT_COLUMNS = `t.event_id, t.event_type, t.schema_version, t.data, t.metadata, t.stream_id, t.stream_type,
  t.stream_version, t.global_position, t.transaction_id::text AS transaction_id, t.recorded_at`;

/** The event an `events` row holds, brought up to its type's newest schema version. */
export function recordedEventOf(row: EventRow, upcasters: Upcasters = {}): RecordedEvent {
  const { data, schemaVersion } = upcast(upcasters, row.event_type, row.schema_version, row.data);
  return {
    eventId: row.event_id,
    type: row.event_type,
    data,
    schemaVersion,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    recordedAt: row.recorded_at,
  };
}

export interface ReadStreamOptions {
  /** Only events after this stream version. */
  afterVersion?: number;
  /** Only events recorded at or before this instant (millisecond precision, as JS dates have). */
  asOf?: Date;
}

/** The events of one stream in version order. */
export async function readStreamEvents(
  db: Queryable,
  schema: string,
  upcasters: Upcasters,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<RecordedEvent[]> {
  const res = await db.query<EventRow>({
    name: `eventstore.readStream.${schema}`,
    text: `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(schema)}.events t
      WHERE t.stream_id = $1 AND t.stream_version > $2 AND ($3::timestamptz IS NULL OR date_trunc('milliseconds', t.recorded_at) <= $3)
      ORDER BY t.stream_version`,
    values: [streamId, options.afterVersion ?? 0, options.asOf ?? null],
  });
  return res.rows.map((r) => recordedEventOf(r, upcasters));
}

/**
 * The events of several streams in ONE query, grouped by stream in version order: every requested
 * id is a key of the result (an empty array when the stream has no events). Duplicate ids are read
 * once. For loading several aggregates at once (a booking's location, treatment, provider…).
 */
export async function readStreamsEvents(
  db: Queryable,
  schema: string,
  upcasters: Upcasters,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const byStream = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
  if (byStream.size === 0) return byStream;
  const res = await db.query<EventRow>({
    name: `eventstore.readStreams.${schema}`,
    text: `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(schema)}.events t
      WHERE t.stream_id = ANY($1::text[])
      ORDER BY t.stream_id, t.stream_version`,
    values: [[...byStream.keys()]],
  });
  for (const r of res.rows) byStream.get(r.stream_id)?.push(recordedEventOf(r, upcasters));
  return byStream;
}

export interface ReadAllOptions {
  limit?: number;
  /** Only these stream types; the checkpoint still moves past the others. */
  streamTypes?: string[];
}

export interface ReadAllResult {
  events: RecordedEvent[];
  checkpoint: Checkpoint;
  heldBack: boolean;
}

/** The next events of the whole log after a checkpoint, gap-safe (see `readGapSafe`). */
export async function readAllEvents(
  db: Queryable,
  schema: string,
  upcasters: Upcasters,
  after: Checkpoint,
  options: ReadAllOptions = {},
): Promise<ReadAllResult> {
  const batch = await readGapSafe<EventRow>(db, {
    schema,
    table: 'events',
    positionColumn: 'global_position',
    columns: EVENT_COLUMNS,
    after,
    limit: options.limit ?? 1000,
    ...(options.streamTypes
      ? { where: 't.stream_type = ANY($4::text[])', params: [options.streamTypes] }
      : {}),
  });
  return {
    events: batch.rows.map((r) => recordedEventOf(r, upcasters)),
    checkpoint: batch.checkpoint,
    heldBack: batch.heldBack,
  };
}

/** Where one reader stands: its position, and the stream types it reads (all when absent). */
export interface NewsProbe {
  after: Checkpoint;
  streamTypes?: readonly string[];
}

/**
 * For several readers at once, in one statement: whether the log holds a committed event of their
 * types past their position. Cheap enough to ask every few milliseconds while idle (an index probe
 * each), where a full read per reader would cost a round trip and a snapshot each. Committed
 * events held back behind an older open transaction count as news: the reader's gap-safe read
 * decides what it may deliver.
 */
export async function probeNewEvents(
  db: Queryable,
  schema: string,
  probes: readonly NewsProbe[],
): Promise<boolean[]> {
  if (probes.length === 0) return [];
  const res = await db.query<{ news: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM ${quoteIdent(schema)}.events t
        WHERE (t.transaction_id, t.global_position) > (p.tx, p.pos)
          AND (p.all_types OR t.stream_type = ANY(string_to_array(p.types, ',')))
     ) AS news
     FROM unnest($1::xid8[], $2::bigint[], $3::boolean[], $4::text[]) WITH ORDINALITY AS p(tx, pos, all_types, types, n)
     ORDER BY p.n`,
    [
      probes.map((p) => p.after.transactionId),
      probes.map((p) => p.after.position),
      probes.map((p) => p.streamTypes === undefined),
      probes.map((p) => (p.streamTypes ?? []).join(',')),
    ],
  );
  return res.rows.map((r) => r.news);
}
