import type { Queryable } from '@medspa/db';
import type { RecordedEvent } from '@medspa/eventstore';

// Read models that keep one row per aggregate with its state (jsonb) beside the columns queries
// filter on: a run of events of one tenant is applied in two statements (one read of the states it
// touches, one upsert of the rows it changed), not two per event; the lag behind a busy log stays
// flat instead of growing with the write rate.

export interface StateRows<E extends { type: string; data: unknown }, S> {
  /** Schema-qualified table with primary key (tenant_id, <idColumn>) and a `state jsonb` column. */
  table: string;
  idColumn: string;
  idOf: (event: RecordedEvent<E & { type: string; data: unknown }>) => string;
  initial: () => S;
  evolve: (state: S, event: E) => S;
  /** The row's other columns with their SQL types, in insert order (`state` is added). */
  columns: Readonly<Record<string, string>>;
  /** Columns left as first written on a later update. */
  fixed?: readonly string[];
  /** Column values for a state, or null when there is no row to write. */
  toRow: (state: S, event: RecordedEvent) => Record<string, unknown> | null;
}

/** Applies a run of one tenant's events (log order) to a state-per-row read model. */
export async function applyToStateRows<E extends { type: string; data: unknown }, S>(
  db: Queryable,
  rows: StateRows<E, S>,
  events: readonly RecordedEvent[],
): Promise<void> {
  const tenantId = events[0]?.metadata.tenantId;
  if (tenantId === undefined) return;
  const ids = [...new Set(events.map((e) => rows.idOf(e as never)))];
  const found = await db.query<{ id: string; state: S }>(
    `SELECT ${rows.idColumn} AS id, state FROM ${rows.table} WHERE tenant_id = $1 AND ${rows.idColumn} = ANY($2::uuid[])`,
    [tenantId, ids],
  );
  const states = new Map<string, S>(found.rows.map((r) => [r.id, r.state]));
  const changed = new Map<string, Record<string, unknown>>();
  for (const event of events) {
    const id = rows.idOf(event as never);
    const state = rows.evolve(states.get(id) ?? rows.initial(), { type: event.type, data: event.data } as E);
    states.set(id, state);
    const row = rows.toRow(state, event);
    if (row !== null) changed.set(id, { ...row, tenant_id: tenantId, [rows.idColumn]: id, state });
  }
  if (changed.size === 0) return;
  const columns: Record<string, string> = {
    tenant_id: 'uuid',
    [rows.idColumn]: 'uuid',
    ...rows.columns,
    state: 'jsonb',
  };
  const names = Object.keys(columns);
  const fixed = new Set(['tenant_id', rows.idColumn, ...(rows.fixed ?? [])]);
  await db.query(
    `INSERT INTO ${rows.table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb)
       AS r(${names.map((n) => `${n} ${columns[n]}`).join(', ')})
     ON CONFLICT (tenant_id, ${rows.idColumn}) DO UPDATE SET
       ${names
         .filter((n) => !fixed.has(n))
         .map((n) => `${n} = EXCLUDED.${n}`)
         .join(', ')}`,
    [JSON.stringify([...changed.values()])],
  );
}
