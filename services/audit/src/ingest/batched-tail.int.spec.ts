import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '@medspa/db';
import { envelopeHeaders, listDeadLetters, requestRedrive } from '@medspa/messaging';
import { createLogger } from '@medspa/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditStore } from '../store/append.js';
import { createCheckpointer, type Checkpointer } from '../store/checkpointer.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { createProducer, metadataFor, type Producer } from '../testing/producers.js';
import { waitUntil } from '../testing/wait.js';
import { createIngest, ingestConsumerName, type Ingest } from './ingest.js';

// The batched Postgres tail's own paths: a message whose id another clinic's entry already has is
// parked (not appended, not dropped), and a re-drive delivers parked messages again.
let db: AuditTestDatabase;
let feed: Producer;
// A second producer: an outbox's own message ids are unique, so the collision comes from another service.
let other: Producer;
let consumerPool: Pool;
let ingest: Ingest;
const settled: { messageId: string; outcome: string }[] = [];

beforeAll(async () => {
  db = await createAuditTestDatabase();
  feed = await createProducer(db.adminUrl, 'audit-batch-feed');
  other = await createProducer(db.adminUrl, 'audit-batch-other');
  consumerPool = createPool(db.appUrl, { applicationName: 'audit-batch-test', max: 3 });
  const signer = createInMemorySigner();
  ingest = createIngest({
    pool: consumerPool,
    store: createAuditStore(db.appPool),
    checkpointer: createCheckpointer(db.appPool, {
      signer,
      trustedKeys: signer.trustedKeys,
      everyEntries: 100,
    }),
    sources: [feed.service, other.service],
    transport: { kind: 'postgres-tail', pollIntervalMs: 20 },
    maxBatch: 50,
    logger: createLogger({ service: 'audit-batch-test', level: 'silent' }),
    onSettled: (s) => void settled.push({ messageId: s.messageId, outcome: s.outcome }),
  });
  await ingest.start();
});

afterAll(async () => {
  await ingest?.stop();
  await consumerPool?.end();
  await feed?.pool.end();
  await other?.pool.end();
  await db?.drop();
});

const outcomeOf = (id: string) => settled.filter((s) => s.messageId === id).map((s) => s.outcome);

describe('batched Postgres-tail ingest', () => {
  it("parks a message carrying another clinic's entry id, and re-drives parked messages on request", async () => {
    const first = await feed.event(metadataFor(randomUUID()), randomUUID());
    await waitUntil('the first event', async () => outcomeOf(first).includes('applied'));
    // The same event id, claimed by another clinic: appending it would let one tenant shadow another's entry.
    const type = 'medspa.audit_batch_other.v1.SomethingHappened';
    const meta = metadataFor(randomUUID());
    await other.raw({
      headers: envelopeHeaders(meta, { eventId: first, eventType: type, occurredAt: new Date() }),
      type,
      payload: Buffer.from([1]),
    });
    const after = await other.event(metadataFor(randomUUID()), randomUUID());
    await waitUntil('the event after the taken id', async () => outcomeOf(after).includes('applied'));
    const consumer = ingestConsumerName(other.service);
    const [letter] = await listDeadLetters(db.appPool, 'audit', consumer);
    expect(letter).toMatchObject({ messageId: first, errorReason: 'AUDIT_MESSAGE_ID_TAKEN', attempts: 1 });
    const entries = await db.appPool.query('SELECT tenant_id FROM audit.entries WHERE message_id = $1', [
      first,
    ]);
    expect(entries.rows).toHaveLength(1);

    // Re-driven, it fails the same way: parked again (attempts counted), never appended.
    expect(await requestRedrive(db.appPool, 'audit', consumer)).toBe(1);
    await waitUntil('the re-drive', async () => {
      const [again] = await listDeadLetters(db.appPool, 'audit', consumer);
      return again?.attempts === 2 && again.redriveRequestedAt === null;
    });
    expect(outcomeOf(first)).toEqual(['applied', 'parked', 'parked']);
    const count = await db.appPool.query<{ n: string }>('SELECT count(*) n FROM audit.entries');
    expect(Number(count.rows[0]?.n)).toBe(2);
  });
});

describe('stopping the ingest', () => {
  it('waits for the checkpoint signing started after an append, before the pool may close', async () => {
    const source = await createProducer(db.adminUrl, 'audit-batch-stop');
    const pool = createPool(db.appUrl, { applicationName: 'audit-batch-stop', max: 3 });
    let signed = false;
    let appended = false;
    const slowSigner: Checkpointer = {
      afterAppend: async () => {
        appended = true;
        await new Promise((r) => setTimeout(r, 300));
        signed = true;
        return [];
      },
      checkpoint: () => Promise.resolve(undefined),
      sweep: () => Promise.resolve([]),
    };
    const stopping = createIngest({
      pool,
      store: createAuditStore(db.appPool),
      checkpointer: slowSigner,
      sources: [source.service],
      transport: { kind: 'postgres-tail', pollIntervalMs: 20 },
      logger: createLogger({ service: 'audit-batch-stop', level: 'silent' }),
    });
    try {
      await stopping.start();
      await source.event(metadataFor(randomUUID()), randomUUID());
      await waitUntil('the append', () => Promise.resolve(appended));
      await stopping.stop();
      expect(signed).toBe(true);
    } finally {
      await pool.end();
      await source.pool.end();
    }
  });
});
