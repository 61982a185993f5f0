import { errors } from '@medspa/errors';
import { pgCode, quoteIdent, type Queryable } from '@medspa/db';
import { eventRows, expectedAsNumber, outboxInsertCte, outboxRows } from './append-encoding.js';
import { newId } from './ids.js';
import type { AppendResult, EventMetadata, EventToAppend, ExpectedVersion, OutboxMessage } from './types.js';

export interface StreamAppendInput {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: EventToAppend[];
}

export interface AppendStreamsInput {
  streams: StreamAppendInput[];
  metadata: EventMetadata;
  outbox: OutboxMessage[];
}

/**
 * Several streams' events and their outbox messages in ONE statement, each stream checked against
 * its own expected version: if any stream is not at its version nothing is inserted (all or nothing,
 * atomic even without an explicit transaction). As in `appendSql`, a writer that read a stale
 * version either inserts nothing (version check) or collides on the (stream_id, stream_version)
 * primary key with the racing writer (unique violation): both are a version conflict. Rows are
 * produced in stream-id order, so two multi-stream writers take their key locks in the same order.
 */
function appendStreamsSql(schema: string): string {
  const s = quoteIdent(schema);
  return `
WITH input AS (
  SELECT i.x->>0 AS stream_id, i.x->>1 AS stream_type, (i.x->>2)::bigint AS expected, i.x->3 AS evs, i.ord
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i(x, ord)
), cur AS (
  SELECT input.*, (SELECT coalesce(max(e.stream_version), 0) FROM ${s}.events e WHERE e.stream_id = input.stream_id) AS v
  FROM input
), ok AS (
  SELECT bool_and(cur.expected IS NULL OR cur.v = cur.expected) AS all_at_version FROM cur
), ins AS (
  INSERT INTO ${s}.events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
  SELECT cur.stream_id, cur.stream_type, cur.v + e.ord, (e.x->>0)::uuid, e.x->>1, (e.x->>2)::int, e.x->3, $2::jsonb
  FROM cur CROSS JOIN ok CROSS JOIN LATERAL jsonb_array_elements(cur.evs) WITH ORDINALITY AS e(x, ord)
  WHERE ok.all_at_version
  ORDER BY cur.ord, e.ord
  RETURNING global_position, stream_id, stream_version
), ${outboxInsertCte(s, 3)}
SELECT global_position, stream_id, stream_version FROM ins ORDER BY global_position`;
}

/**
 * Appends to several streams at once with per-stream optimistic concurrency; see `appendStreamsSql`.
 * Returns one result per input stream, in input order. Throws `STREAM_VERSION_CONFLICT` when any
 * stream moved, `EVENT_ID_REUSED` when event ids already exist (a replay of the same append
 * resolves to its original results instead, like `appendToStream`).
 */
export async function appendToStreams(
  db: Queryable,
  schema: string,
  input: AppendStreamsInput,
): Promise<AppendResult[]> {
  const ids = new Set<string>();
  for (const s of input.streams) {
    if (ids.has(s.streamId)) throw errors.validation('STREAM_REPEATED', `${s.streamId} is given twice`);
    ids.add(s.streamId);
    for (const e of s.events) {
      if (e.event.data === undefined)
        throw errors.validation('EVENT_DATA_MISSING', `${e.event.type} has no data`);
    }
  }
  const withIds = input.streams.map((s) => ({
    ...s,
    eventIds: s.events.map((e) => e.eventId ?? newId()),
  }));
  const nonEmpty = withIds
    .filter((s) => s.events.length > 0)
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const emptyResult = (s: (typeof withIds)[number]): AppendResult => ({
    nextExpectedVersion: expectedAsNumber(s.expectedVersion) ?? -1,
    globalPositions: [],
    eventIds: [],
    idempotentReplay: false,
  });
  if (nonEmpty.length === 0) return withIds.map(emptyResult);

  const values = [
    JSON.stringify(
      nonEmpty.map((s) => [
        s.streamId,
        s.streamType,
        expectedAsNumber(s.expectedVersion),
        eventRows(s.events, s.eventIds),
      ]),
    ),
    JSON.stringify(input.metadata),
    JSON.stringify(outboxRows(input.outbox)),
  ];
  let rows: { global_position: number; stream_id: string; stream_version: number }[];
  try {
    rows = (
      await db.query<{ global_position: number; stream_id: string; stream_version: number }>({
        name: `eventstore.appendStreams.${schema}`,
        text: appendStreamsSql(schema),
        values,
      })
    ).rows;
  } catch (e) {
    if (pgCode(e) !== '23505') throw e;
    const constraint = (e as { constraint?: string }).constraint;
    if (constraint !== 'events_event_id_unique') throw versionConflict(nonEmpty, e);
    throw new DuplicateStreamsEventIds(nonEmpty, e);
  }
  if (rows.length === 0) {
    // Nothing inserted: some stream is not at its version, or this exact append happened before.
    const replay = await findAppendedMany(db, schema, nonEmpty);
    if (replay === undefined) throw versionConflict(nonEmpty);
    return withIds.map((s) => replay.get(s.streamId) ?? emptyResult(s));
  }
  const byStream = new Map<string, AppendResult>();
  for (const r of rows) {
    const s = nonEmpty.find((n) => n.streamId === r.stream_id)!;
    const result = byStream.get(r.stream_id) ?? {
      nextExpectedVersion: 0,
      globalPositions: [],
      eventIds: s.eventIds,
      idempotentReplay: false,
    };
    result.globalPositions.push(r.global_position);
    result.nextExpectedVersion = Math.max(result.nextExpectedVersion, r.stream_version);
    byStream.set(r.stream_id, result);
  }
  return withIds.map((s) => byStream.get(s.streamId) ?? emptyResult(s));
}

/**
 * Some event ids of a multi-stream append already exist. Raised inside the writer's statement (which
 * aborts any surrounding transaction); `resolveDuplicateStreamsAppend` decides afterwards whether it
 * was a harmless retry.
 */
export class DuplicateStreamsEventIds extends Error {
  constructor(
    readonly streams: { streamId: string; eventIds: string[] }[],
    cause: unknown,
  ) {
    super(`Event ids already appended to ${streams.map((s) => s.streamId).join(', ')}`, { cause });
  }
}

/** After a DuplicateStreamsEventIds: the original results per stream id if it was a retry. */
export async function resolveDuplicateStreamsAppend(
  db: Queryable,
  schema: string,
  dup: DuplicateStreamsEventIds,
): Promise<Map<string, AppendResult>> {
  const replay = await findAppendedMany(db, schema, dup.streams);
  if (replay === undefined) throw eventIdReused(dup);
  return replay;
}

function versionConflict(streams: { streamId: string }[], cause?: unknown) {
  return errors.conflict(
    'STREAM_VERSION_CONFLICT',
    `One of ${streams.map((s) => s.streamId).join(', ')} changed since it was read`,
    { cause },
  );
}

const eventIdReused = (cause?: unknown) =>
  errors.conflict('EVENT_ID_REUSED', 'An event id was reused for a different event', { cause });

/**
 * The results of an earlier append of exactly these event ids to exactly these streams: undefined
 * when none is stored; EVENT_ID_REUSED when only some are, or in other streams.
 */
async function findAppendedMany(
  db: Queryable,
  schema: string,
  streams: { streamId: string; eventIds: string[] }[],
): Promise<Map<string, AppendResult> | undefined> {
  const all = streams.flatMap((s) => s.eventIds);
  const res = await db.query<{
    event_id: string;
    stream_id: string;
    stream_version: number;
    global_position: number;
  }>(
    `SELECT event_id, stream_id, stream_version, global_position FROM ${quoteIdent(schema)}.events
     WHERE event_id = ANY($1::uuid[]) ORDER BY stream_version`,
    [all],
  );
  if (res.rows.length === 0) return undefined;
  const streamOf = new Map(streams.flatMap((s) => s.eventIds.map((id) => [id, s.streamId] as const)));
  if (res.rows.length !== all.length || res.rows.some((r) => streamOf.get(r.event_id) !== r.stream_id))
    throw eventIdReused();
  const out = new Map<string, AppendResult>();
  for (const r of res.rows) {
    const result = out.get(r.stream_id) ?? {
      nextExpectedVersion: 0,
      globalPositions: [],
      eventIds: [],
      idempotentReplay: true,
    };
    result.globalPositions.push(r.global_position);
    result.eventIds.push(r.event_id);
    result.nextExpectedVersion = Math.max(result.nextExpectedVersion, r.stream_version);
    out.set(r.stream_id, result);
  }
  return out;
}
