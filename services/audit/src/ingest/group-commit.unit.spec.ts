import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../domain/audit-record.js';
import type { AppendOutcome, AuditStore } from '../store/append.js';
import { auditRecord } from '../testing/records.js';
import { createGroupCommit } from './group-commit.js';

/** A store that records the batches it was given and answers from a script. */
function fakeStore(answer: (records: readonly AuditRecord[]) => Promise<Partial<AppendOutcome>>) {
  const batches: string[][] = [];
  const store: AuditStore = {
    async append(records) {
      batches.push(records.map((r) => r.messageId));
      return { appended: [], duplicates: [], refused: [], heads: [], ...(await answer(records)) };
    },
    ensurePartitions: () => Promise.resolve(0),
  };
  return { store, batches };
}

describe('group commit', () => {
  it('appends records handed in together as one batch, and the next ones after it commits', async () => {
    let release: () => void = () => undefined;
    const firstBatchHeld = new Promise<void>((r) => (release = r));
    let calls = 0;
    const { store, batches } = fakeStore(async () => {
      if (calls++ === 0) await firstBatchHeld;
      return {};
    });
    const commit = createGroupCommit(store, { maxBatch: 3 });
    const first = [auditRecord(), auditRecord()].map((r) => commit.append(r));
    await new Promise((r) => setImmediate(r));
    // While the first batch is in flight, four more arrive: they go as 3 + 1 (maxBatch).
    const later = [auditRecord(), auditRecord(), auditRecord(), auditRecord()].map((r) => commit.append(r));
    release();
    expect(await Promise.all([...first, ...later])).toEqual(Array(6).fill('appended'));
    expect(batches.map((b) => b.length)).toEqual([2, 3, 1]);
  });

  it('tells duplicates apart, and rejects a refused id with a validation error (to be parked)', async () => {
    const [dup, taken, fresh] = [auditRecord(), auditRecord(), auditRecord()];
    const { store } = fakeStore(async () => ({ duplicates: [dup.messageId], refused: [taken.messageId] }));
    const commit = createGroupCommit(store, { maxBatch: 10 });
    const results = await Promise.allSettled([dup, taken, fresh].map((r) => commit.append(r)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'duplicate' });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { kind: 'validation', reason: 'AUDIT_MESSAGE_ID_TAKEN' },
    });
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'appended' });
  });

  it('rejects every record of a failed batch, and keeps going with the next', async () => {
    let fail = true;
    const { store } = fakeStore(async () => {
      if (fail) {
        fail = false;
        throw new Error('connection terminated');
      }
      return {};
    });
    const commit = createGroupCommit(store, { maxBatch: 10 });
    const failed = await Promise.allSettled([auditRecord(), auditRecord()].map((r) => commit.append(r)));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await commit.append(auditRecord({ messageId: randomUUID() }))).toBe('appended');
  });
});
