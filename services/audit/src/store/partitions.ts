import type { Queryable } from '@medspa/db';

/**
 * Creates the missing monthly partitions of audit.entries from this month through `monthsAhead`
 * months on (a SECURITY DEFINER function: the app role may not create tables). Returns how many.
 */
export async function ensureEntryPartitions(db: Queryable, monthsAhead: number): Promise<number> {
  const res = await db.query<{ created: number }>('SELECT audit.ensure_entry_partitions($1) AS created', [
    monthsAhead,
  ]);
  return res.rows[0]?.created ?? 0;
}
