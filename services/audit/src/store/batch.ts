import { assertValidRecord, type AuditRecord } from '../domain/audit-record.js';
import { canonicalEntry } from '../domain/canonical-record.js';

export interface PreparedEntry {
  record: AuditRecord;
  /** Computed before any lock is taken: canonicalising is the costly part of an append. */
  canonical: Buffer;
}

export interface PreparedBatch {
  /** Entries by chain (tenant), each list in arrival order. */
  byChain: Map<string, PreparedEntry[]>;
  /** Message ids that came more than once in this batch; only the first is kept. */
  repeated: string[];
  size: number;
}

/** Validates and canonicalises a batch outside the transaction, grouping it by chain. */
export function prepareBatch(records: readonly AuditRecord[]): PreparedBatch {
  const byChain = new Map<string, PreparedEntry[]>();
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const record of records) {
    assertValidRecord(record);
    if (seen.has(record.messageId)) {
      repeated.push(record.messageId);
      continue;
    }
    seen.add(record.messageId);
    const entry = { record, canonical: canonicalEntry(record) };
    const chain = byChain.get(record.tenantId);
    if (chain === undefined) byChain.set(record.tenantId, [entry]);
    else chain.push(entry);
  }
  return { byChain, repeated, size: seen.size };
}

/** The parameters of INSERT_ENTRIES, filled row by row (unnest wants one array per column). */
export class EntryColumnsBuilder {
  private readonly columns: unknown[][] = Array.from({ length: 14 }, () => []);
  private readonly canonical: Buffer[] = [];
  private readonly canonicalFrom: number[] = [];
  private readonly canonicalLength: number[] = [];
  private canonicalBytes = 0;
  private readonly previousHashes: Buffer[] = [];
  private readonly entryHashes: Buffer[] = [];
  private readonly heads: unknown[][] = [[], [], [], []];
  rows = 0;

  add(entry: PreparedEntry, sequence: number, appendedAt: string, prev: Buffer, hash: Buffer): void {
    const r = entry.record;
    const values = [
      r.tenantId,
      sequence,
      appendedAt,
      r.messageId,
      r.eventType,
      r.occurredAt.toISOString(),
      r.actor.id,
      r.actor.role,
      r.subjectId,
      r.action,
      r.correlationId,
      r.source.topic,
      r.source.partition,
      r.source.offset,
    ];
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
    this.canonical.push(entry.canonical);
    this.canonicalFrom.push(this.canonicalBytes + 1); // SQL substring counts from 1
    this.canonicalLength.push(entry.canonical.length);
    this.canonicalBytes += entry.canonical.length;
    this.previousHashes.push(prev);
    this.entryHashes.push(hash);
    this.rows++;
  }

  moveHead(chainId: string, sequence: number, hash: Buffer, appendedAt: string): void {
    const values = [chainId, sequence, hash, appendedAt];
    for (let i = 0; i < values.length; i++) this.heads[i]!.push(values[i]);
  }

  values(): unknown[] {
    return [
      ...this.columns,
      Buffer.concat(this.canonical, this.canonicalBytes),
      this.canonicalFrom,
      this.canonicalLength,
      Buffer.concat(this.previousHashes),
      Buffer.concat(this.entryHashes),
      ...this.heads,
    ];
  }
}
