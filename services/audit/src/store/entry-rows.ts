import type { StoredEntry } from '../verify/log-source.js';

const COLUMNS = `, tenant_id, message_id, event_type, occurred_at, actor_id, actor_role, subject_id, action,
  correlation_id, source_topic, source_partition, source_offset::text`;

/** The page query of verification, by its four variants (named: each is prepared once per connection). */
export function entriesQuery(withColumns: boolean, asText: boolean): { name: string; text: string } {
  const canonical = asText ? "convert_from(canonical, 'UTF8')" : 'canonical';
  return {
    name: `audit.verify-entries${withColumns ? '-columns' : ''}${asText ? '-text' : ''}`,
    text: `SELECT seq, ${canonical}, entry_hash${withColumns ? COLUMNS : ''} FROM audit.entries
      WHERE tenant_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
  };
}

export type EntryRow = [
  number,
  Buffer | string,
  Buffer,
  string?,
  string?,
  string?,
  Date?,
  string?,
  string?,
  (string | null)?,
  string?,
  string?,
  string?,
  (number | null)?,
  (string | null)?,
];

/** A page row as a StoredEntry. */
export function toStoredEntry(r: EntryRow, withColumns: boolean): StoredEntry {
  const entry: StoredEntry = { sequence: r[0], canonical: r[1], entryHash: r[2] };
  if (!withColumns) return entry;
  entry.columns = {
    tenantId: r[3]!,
    messageId: r[4]!,
    eventType: r[5]!,
    occurredAt: r[6]!.toISOString(),
    actorId: r[7]!,
    actorRole: r[8]!,
    subjectId: r[9] ?? null,
    action: r[10]!,
    correlationId: r[11]!,
    sourceTopic: r[12]!,
    sourcePartition: r[13] ?? null,
    sourceOffset: r[14] ?? null,
  };
  return entry;
}
