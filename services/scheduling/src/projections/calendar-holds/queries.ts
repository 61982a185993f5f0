import type { Queryable } from '@medspa/db';
import { MAX_HOLD_MINUTES, type BusyTime, type ResourceKind } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.calendar_holds`;

/**
 * Held time on the given resources that overlaps [from, to), in one indexed read. No hold is longer
 * than MAX_HOLD_MINUTES, so one that overlaps `from` starts after `from - MAX_HOLD`: that lower
 * bound lets the (resource, start_at) index read only the window instead of every earlier hold.
 */
export async function busyTimes(
  db: Queryable,
  resources: readonly { kind: ResourceKind; id: string }[],
  fromMs: number,
  toMs: number,
): Promise<BusyTime[]> {
  if (resources.length === 0) return [];
  const res = await db.query<{
    resource_kind: ResourceKind;
    resource_id: string;
    start_ms: string;
    end_ms: string;
  }>(
    `SELECT h.resource_kind, h.resource_id,
            (extract(epoch FROM h.start_at) * 1000)::bigint AS start_ms,
            (extract(epoch FROM h.end_at) * 1000)::bigint AS end_ms
       FROM ${table} h
       JOIN unnest($1::text[], $2::uuid[]) AS r(kind, id) ON h.resource_kind = r.kind AND h.resource_id = r.id
      WHERE h.start_at < $4 AND h.end_at > $3 AND h.start_at > $5`,
    [
      resources.map((r) => r.kind),
      resources.map((r) => r.id),
      new Date(fromMs),
      new Date(toMs),
      new Date(fromMs - MAX_HOLD_MINUTES * 60_000),
    ],
  );
  return res.rows.map((r) => ({
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    startMs: Number(r.start_ms),
    endMs: Number(r.end_ms),
  }));
}
