import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedKeysFromPem } from '../signing/checkpoint-signer.js';
import { createLocalFileSigner } from '../signing/local-file-signer.js';
import { pgLogSource } from '../store/pg-log-source.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { createProducer, metadataFor, type Producer } from '../testing/producers.js';
import { waitUntil } from '../testing/wait.js';
import { verifyChain } from '../verify/verify-chain.js';

const CHILD = fileURLToPath(new URL('../testing/ingest-process.ts', import.meta.url));
const PER_SOURCE = 300;

let db: AuditTestDatabase;
let producers: Producer[];
const tenants = [randomUUID(), randomUUID(), randomUUID()];
const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'medspa-audit-crash-')), 'key.pem');
const children: ChildProcess[] = [];

/** Starts the ingest process; resolves with it and a live count of settled messages. */
async function startIngestProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      DATABASE_URL: db.appUrl,
      KEY_FILE: keyFile,
      SOURCES: producers.map((p) => p.service).join(','),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const state = { settled: 0 };
  const started = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ingest process exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'started') resolve();
      if (line.startsWith('settled ')) state.settled++;
    });
  });
  await started;
  return { child, state };
}

const entryCount = async () =>
  Number((await db.appPool.query<{ n: string }>('SELECT count(*) n FROM audit.entries')).rows[0]?.n);

beforeAll(async () => {
  db = await createAuditTestDatabase();
  await createLocalFileSigner({ file: keyFile }).publicKeyPem(); // the key both processes sign with
  producers = [
    await createProducer(db.adminUrl, 'audit-feed'),
    await createProducer(db.adminUrl, 'audit-feed-two'),
  ];
  // Many small producer transactions, several tenants per source: the ingest has work in flight
  // (open append transactions, claimed messages) at any instant it is killed.
  await Promise.all(
    producers.map(async (p) => {
      for (let i = 0; i < PER_SOURCE / 10; i++) {
        const tenant = tenants[i % tenants.length]!;
        await p.access(
          metadataFor(tenant),
          Array.from({ length: 10 }, () => ({
            subjectId: randomUUID(),
            resourceType: 'encounter',
            resourceId: randomUUID(),
            action: 'read' as const,
            purpose: 'treatment' as const,
            outcome: { allowed: true as const },
            requestId: randomUUID(),
          })),
        );
      }
    }),
  );
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of producers ?? []) await p.pool.end();
  await db?.drop();
});

describe('audit ingest killed mid-batch', () => {
  it('after SIGKILL and a restart, holds every event exactly once and every chain verifies', async () => {
    const total = PER_SOURCE * producers.length;
    const first = await startIngestProcess();
    await waitUntil('some messages to be ingested', async () => first.state.settled >= 150, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const atKill = await entryCount();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total); // killed mid-way, not after the end

    await startIngestProcess();
    await waitUntil('every message to be ingested', async () => (await entryCount()) >= total, 60_000);
    // Let redeliveries of what the killed process had claimed settle, then count again.
    await new Promise((r) => setTimeout(r, 500));
    const counts = await db.appPool.query<{ n: string; ids: string }>(
      'SELECT count(*) n, count(DISTINCT message_id) ids FROM audit.entries',
    );
    expect(counts.rows[0]).toEqual({ n: total, ids: total });
    const outbox = await db.appPool.query<{ n: string }>(
      `SELECT count(*) n FROM audit.entries e
       WHERE e.message_id IN (SELECT message_id FROM audit_feed.outbox UNION ALL SELECT message_id FROM audit_feed_two.outbox)`,
    );
    expect(Number(outbox.rows[0]?.n)).toBe(total);

    const trustedKeys = trustedKeysFromPem([await createLocalFileSigner({ file: keyFile }).publicKeyPem()]);
    for (const tenant of tenants) {
      const report = await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys, checkColumns: true });
      expect(report).toMatchObject({ intact: true });
      expect(report.checkpointsVerified).toBeGreaterThan(0);
    }
  });
});
