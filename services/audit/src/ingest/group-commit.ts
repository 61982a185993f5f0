import { errors } from '@medspa/errors';
import type { AuditRecord } from '../domain/audit-record.js';
import type { AppendOutcome, AuditStore } from '../store/append.js';

export type GroupCommitResult = 'appended' | 'duplicate';

export interface GroupCommitOptions {
  /** Most records in one append (one transaction, one INSERT statement). */
  maxBatch: number;
  /** After each committed batch (the checkpointer's N-entries rule). */
  onAppended?: (outcome: AppendOutcome) => void;
}

interface Waiting {
  record: AuditRecord;
  resolve: (result: GroupCommitResult) => void;
  reject: (e: unknown) => void;
}

/** Appends records in batches: see `createGroupCommit`. */
export interface GroupCommit {
  /** Resolves once the record is durably in the log (or was already there). */
  append(record: AuditRecord): Promise<GroupCommitResult>;
}

/**
 * Group commit over the audit store: records handed in while an append is running wait and go
 * together in the next one, so throughput grows with the number of concurrent deliveries (one per
 * source topic and Kafka partition) while a lone message still goes at once. Each caller learns
 * the fate of its own record only after its batch committed, so a consumer never moves its position
 * past an entry that is not durable. A batch that fails rejects every caller in it (each consumer
 * then retries its own message); the store's message-id registry makes those retries idempotent.
 */
export function createGroupCommit(store: AuditStore, options: GroupCommitOptions): GroupCommit {
  let queue: Waiting[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, options.maxBatch);
        queue = queue.slice(batch.length);
        await commit(batch);
      }
    } finally {
      flushing = false;
    }
  }

  async function commit(batch: Waiting[]): Promise<void> {
    let outcome: AppendOutcome;
    try {
      outcome = await store.append(batch.map((w) => w.record));
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    const duplicates = new Set(outcome.duplicates);
    const refused = new Set(outcome.refused);
    for (const w of batch) {
      const id = w.record.messageId;
      if (refused.has(id)) {
        w.reject(
          errors.validation('AUDIT_MESSAGE_ID_TAKEN', "The message id is already another tenant's entry"),
        );
      } else w.resolve(duplicates.has(id) ? 'duplicate' : 'appended');
    }
    options.onAppended?.(outcome);
  }

  return {
    append(record) {
      return new Promise<GroupCommitResult>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        // setImmediate: deliveries that arrive in the same turn join the first batch.
        if (!flushing) {
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
