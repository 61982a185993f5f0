import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, withTenant, type Pool } from '@medspa/db';
import type { EventMetadata } from '@medspa/eventstore';
import { createProjectionRunner, rebuildProjection } from '@medspa/projections';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import type { AppDeps } from '../../app/deps.js';
import { listEncounters, loadEncounters } from '../../app/encounter-queries.js';
import type { RequestContext } from '../../app/request-context.js';
import { ENCOUNTER_STREAM, encounterStreamId, PATIENT_STREAM, patientStreamId } from '../../app/streams.js';
import { createRecordStore } from '../../crypto/keys.js';
import type { EncounterEvent } from '../../domain/index.js';
import { neurotoxin, opened } from '../../domain/test-fixtures/encounter.js';
import { registered } from '../../domain/test-fixtures/patient.js';
import { projectionsOf } from '../../service.js';

const AT = '2025-06-02T17:00:00.000Z';

/** A random but well-formed encounter: opened, then any mix of chart entries, maybe signed and amended. */
function randomEncounter(patientId: string, random: () => number): EncounterEvent[] {
  const base = { encounterId: randomUUID(), patientId, at: AT };
  const events: EncounterEvent[] = [{ type: 'EncounterOpened', data: { ...opened.data, ...base } }];
  const notes: string[] = [];
  const uses: string[] = [];
  const entries = Math.floor(random() * 8);
  for (let i = 0; i < entries; i++) {
    const pick = Math.floor(random() * 6);
    if (pick === 0 || notes.length === 0) {
      const noteId = randomUUID();
      notes.push(noteId);
      events.push({
        type: 'TreatmentNoteRecorded',
        data: { ...base, noteId, authorId: randomUUID(), text: `Note ${i}: ${randomUUID()}` },
      });
    } else if (pick === 1) {
      events.push({
        type: 'TreatmentNoteRevised',
        data: { ...base, noteId: notes[0]!, revisedBy: randomUUID(), text: `Revised ${i}` },
      });
    } else if (pick === 2) {
      const productUseId = randomUUID();
      uses.push(productUseId);
      events.push({
        type: 'ProductUsed',
        data: { ...base, productUseId, ...neurotoxin, lotNumber: `L${i}` },
      });
    } else if (pick === 3 && uses.length > 0) {
      events.push({ type: 'ProductUseRemoved', data: { ...base, productUseId: uses.pop()! } });
    } else if (pick === 4) {
      events.push({
        type: 'PhotoAttached',
        data: {
          ...base,
          photoId: randomUUID(),
          kind: 'after',
          objectKey: `p/${i}.jpg`,
          contentType: 'image/png',
        },
      });
    } else {
      events.push({
        type: 'GoodFaithExamRecorded',
        data: {
          ...base,
          examId: randomUUID(),
          examinerId: randomUUID(),
          examinerName: 'Dr. Lee Park',
          examinerCredentials: 'MD',
          modality: 'in_person',
          findings: `Findings ${i}`,
          outcome: 'approved',
          approvedTreatments: ['Neurotoxin'],
        },
      });
    }
  }
  if (random() < 0.6) {
    events.push({ type: 'ChartSigned', data: { ...base, providerId: opened.data.providerId } });
    if (random() < 0.5) {
      events.push({
        type: 'AddendumSigned',
        data: { ...base, addendumId: randomUUID(), authorId: randomUUID(), text: 'Late entry' },
      });
    }
  }
  return events;
}

// A small seeded generator: a failing case can be replayed.
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('encounter_charts: sealed folds behind opening a chart', () => {
  let db: ServiceDatabase;
  let pool: Pool;
  let deps: AppDeps;
  let keyDir: string;
  const tenantId = randomUUID();
  const ctx: RequestContext = {
    principal: {
      userId: randomUUID(),
      tenantId,
      role: 'provider',
      sessionId: randomUUID(),
      isService: false,
    },
    requestId: randomUUID(),
  };
  const meta: EventMetadata = {
    tenantId,
    actor: { id: randomUUID(), role: 'provider' },
    correlationId: randomUUID(),
  };

  /**
   * Runs every projection up to the head of the log, then stops: nothing moves behind a test's
   * back. (Each projection's leader holds a connection of the pool while it runs.)
   */
  async function catchUp() {
    const runner = createProjectionRunner({ pool, store: deps.store, projections: projectionsOf(deps) });
    runner.start();
    await runner.catchUp({ timeoutMs: 30_000 });
    await runner.stop();
  }

  async function registerPatient(): Promise<string> {
    const patientId = randomUUID();
    await deps.store.append(
      patientStreamId(patientId),
      PATIENT_STREAM,
      'no_stream',
      [{ ...registered, data: { ...registered.data, patientId } }],
      meta,
    );
    return patientId;
  }

  /** Appends an encounter's events, in as many appends as `cuts` says (the projection may run between). */
  async function append(events: EncounterEvent[], from = 0) {
    const streamId = encounterStreamId(events[0]!.data.encounterId);
    await deps.store.append(streamId, ENCOUNTER_STREAM, from === 0 ? 'no_stream' : from, events, meta);
  }

  const chartRows = (patientId: string) =>
    withTenant(pool, tenantId, async (c) => {
      const { rows } = await c.query<{ encounter_id: string; version: number; chart_ct: string }>(
        `SELECT encounter_id::text, version, chart_ct FROM ${db.schema}.encounter_charts WHERE patient_id = $1`,
        [patientId],
      );
      return rows;
    });

  /** The chart the read model gives must be the one folding every stream gives. */
  async function expectSameAsFolding(patientId: string) {
    const charts = await listEncounters(deps, ctx, patientId);
    const folded = await loadEncounters(
      deps,
      charts.map((c) => c.chart.encounterId),
    );
    expect(charts).toEqual(folded);
    return charts;
  }

  beforeAll(async () => {
    db = await createServiceDatabase('patient-record', migrations);
    keyDir = await mkdtemp(path.join(tmpdir(), 'encounter-charts-kms-'));
    pool = createPool(db.appUrl, { applicationName: 'encounter-charts-test' });
    const crypto = createRecordStore(pool, db.schema, { kmsKeyDir: keyDir, kekId: 'test-kek' });
    deps = { pool, schema: db.schema, ...crypto, topic: 'test.patient-record.events', now: () => new Date() };
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
  });

  it('shows a note recorded after the read model caught up (read-your-writes)', async () => {
    const patientId = await registerPatient();
    const [first, ...rest] = randomEncounter(patientId, seeded(7)).filter((e) => e.type !== 'ChartSigned');
    await append([first!]);
    await catchUp();
    const encounterId = first!.data.encounterId;
    expect((await chartRows(patientId)).map((r) => [r.encounter_id, r.version])).toEqual([[encounterId, 1]]);
    const note: EncounterEvent = {
      type: 'TreatmentNoteRecorded',
      data: {
        encounterId,
        patientId,
        at: AT,
        noteId: randomUUID(),
        authorId: randomUUID(),
        text: 'Signed just now',
      },
    };
    await append([...rest.filter((e) => e.type !== 'AddendumSigned'), note], 1);

    const [chart] = await expectSameAsFolding(patientId);
    expect(chart?.chart.notes.at(-1)?.text).toBe('Signed just now');
    // The read model is still behind: the note came from the events read beside it.
    expect((await chartRows(patientId))[0]?.version).toBe(1);
  });

  it('equals folding the streams, over random encounters projected at random points', async () => {
    const random = seeded(20260125);
    const patientId = await registerPatient();
    for (let i = 0; i < 12; i++) {
      const events = randomEncounter(patientId, random);
      const cut = 1 + Math.floor(random() * events.length);
      await append(events.slice(0, cut));
      if (random() < 0.7) await catchUp();
      if (cut < events.length) await append(events.slice(cut), cut);
    }
    await expectSameAsFolding(patientId);
    await catchUp();
    const charts = await expectSameAsFolding(patientId);
    expect(charts).toHaveLength(12);
    expect(await chartRows(patientId)).toHaveLength(12);
  });

  it('holds one ciphertext per encounter, bound to its encounter and version', async () => {
    const patientId = await registerPatient();
    const events = randomEncounter(patientId, seeded(3));
    await append(events);
    await catchUp();
    const [row] = await chartRows(patientId);
    expect(row?.chart_ct).toMatch(/^phi:[A-Za-z0-9_-]+$/);
    // Another encounter's chart moved onto this one (same patient, same key) does not open.
    const other = randomEncounter(patientId, seeded(4));
    await append(other);
    await catchUp();
    const otherRow = (await chartRows(patientId)).find((r) => r.encounter_id === other[0]!.data.encounterId)!;
    await withTenant(pool, tenantId, (c) =>
      c.query(
        `UPDATE ${db.schema}.encounter_charts SET chart_ct = $1, version = $2 WHERE encounter_id = $3`,
        [otherRow.chart_ct, otherRow.version, row!.encounter_id],
      ),
    );
    await expect(listEncounters(deps, ctx, patientId)).rejects.toMatchObject({
      reason: 'CIPHERTEXT_INVALID',
    });
  });

  it('gives the same chart after a rebuild of the read model', async () => {
    const patientId = await registerPatient();
    for (let i = 0; i < 3; i++) await append(randomEncounter(patientId, seeded(100 + i)));
    await catchUp();
    const before = await listEncounters(deps, ctx, patientId);
    const projection = projectionsOf(deps).find((p) => p.name === 'encounter_charts')!;
    await rebuildProjection({ ownerUrl: db.ownerUrl, pool, store: deps.store, projection });
    expect(await chartRows(patientId)).toHaveLength(3);
    expect(await expectSameAsFolding(patientId)).toEqual(before);
  });

  it('refuses a shredded patient, purges their rows, and a replay does not bring them back', async () => {
    const patientId = await registerPatient();
    await append(randomEncounter(patientId, seeded(9)));
    await catchUp();
    expect(await chartRows(patientId)).toHaveLength(1);
    await deps.keyring.shredSubject(tenantId, patientId);
    expect(await chartRows(patientId)).toEqual([]);
    await expect(listEncounters(deps, ctx, patientId)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    const projection = projectionsOf(deps).find((p) => p.name === 'encounter_charts')!;
    await rebuildProjection({ ownerUrl: db.ownerUrl, pool, store: deps.store, projection });
    expect(await chartRows(patientId)).toEqual([]);
  });

  it("keeps another tenant's patient and rows out of reach", async () => {
    const patientId = await registerPatient();
    await append(randomEncounter(patientId, seeded(11)));
    await catchUp();
    const outsider: RequestContext = {
      ...ctx,
      principal: { ...ctx.principal, tenantId: randomUUID() },
    };
    await expect(listEncounters(deps, outsider, patientId)).rejects.toMatchObject({
      reason: 'PATIENT_NOT_FOUND',
    });
    const seen = await withTenant(pool, outsider.principal.tenantId, (c) =>
      c.query(`SELECT 1 FROM ${db.schema}.encounter_charts`),
    );
    expect(seen.rows).toEqual([]);
  });
});
