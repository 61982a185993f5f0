import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPool, type Pool } from '@medspa/db';
import type { EventMetadata } from '@medspa/eventstore';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { ENCOUNTER_STREAM, encounterStreamId, PATIENT_STREAM, patientStreamId } from '../app/streams.js';
import { noteRecorded } from '../domain/test-fixtures/encounter.js';
import { registered } from '../domain/test-fixtures/patient.js';
import { createRecordStore } from './keys.js';

// A new patient's data key is made in the transaction of the append it seals: a rolled-back append
// must take its key along and never leave it cached, or later PHI would be sealed under a key no
// replica can ever load again.
describe('the sealing store: a new patient key commits or rolls back with its append', () => {
  let db: ServiceDatabase;
  let pool: Pool;
  let keyDir: string;
  const tenantId = randomUUID();
  const metadata: EventMetadata = {
    tenantId,
    actor: { id: randomUUID(), role: 'front_desk' },
    correlationId: 'c',
  };
  /** One service replica: its own keyring and caches. */
  const replica = () =>
    createRecordStore(pool, db.schema, { kmsKeyDir: keyDir, kekId: 'patient-record-kek' });
  const registration = () => {
    const patientId = randomUUID();
    return { patientId, events: [{ ...registered, data: { ...registered.data, patientId } }] };
  };
  const keyRows = async (patientId: string) =>
    (await pool.query(`SELECT 1 FROM ${db.schema}.crypto_subject_keys WHERE subject_id = $1`, [patientId]))
      .rowCount;
  /** What another replica, with a cold cache, reads back. */
  const readElsewhere = async (patientId: string) =>
    (await replica().store.readStream(patientStreamId(patientId))).map((e) => e.data);

  beforeAll(async () => {
    db = await createServiceDatabase('patient-record', migrations);
    pool = createPool(db.appUrl, { max: 4 });
    keyDir = await mkdtemp(path.join(tmpdir(), 'sealing-store-kms-'));
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("registers a new patient with its key in the append's one transaction", async () => {
    const { store } = replica();
    const r = registration();
    await store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, metadata);
    expect(await keyRows(r.patientId)).toBe(1);
    expect(await readElsewhere(r.patientId)).toEqual([r.events[0]!.data]);
  });

  it('registers a new patient in ONE statement: the key goes in with the events', async () => {
    const { store } = replica();
    const warm = registration(); // the tenant's keys loaded once per replica
    await store.append(patientStreamId(warm.patientId), PATIENT_STREAM, 'no_stream', warm.events, metadata);
    const r = registration();
    const query = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, metadata);
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
    expect(await keyRows(r.patientId)).toBe(1);
    expect(await readElsewhere(r.patientId)).toEqual([r.events[0]!.data]);
  });

  it('a key made for a patient who has one already is neither stored nor used again', async () => {
    const r = registration();
    await replica().store.append(
      patientStreamId(r.patientId),
      PATIENT_STREAM,
      'no_stream',
      r.events,
      metadata,
    );
    // Another replica, cold, registers the same patient again: its fresh key must not go in.
    const { store } = replica();
    await expect(
      store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, metadata),
    ).rejects.toMatchObject({ reason: 'STREAM_VERSION_CONFLICT' });
    expect(await keyRows(r.patientId)).toBe(1);
    // Its next write for the patient seals under the stored key, which every replica can open.
    const encounterId = randomUUID();
    const note = { ...noteRecorded, data: { ...noteRecorded.data, encounterId, patientId: r.patientId } };
    await store.append(encounterStreamId(encounterId), ENCOUNTER_STREAM, 'no_stream', [note], metadata);
    const read = await replica().store.readStream(encounterStreamId(encounterId));
    expect(read.map((e) => e.data)).toEqual([note.data]);
  });

  it('a conflicting append rolls its new key back; the retry seals under a stored key', async () => {
    const { store } = replica();
    const r = registration();
    const streamId = patientStreamId(r.patientId);
    await expect(store.append(streamId, PATIENT_STREAM, 3, r.events, metadata)).rejects.toMatchObject({
      reason: 'STREAM_VERSION_CONFLICT',
    });
    expect(await keyRows(r.patientId)).toBe(0);
    await store.append(streamId, PATIENT_STREAM, 'no_stream', r.events, metadata);
    expect(await keyRows(r.patientId)).toBe(1);
    expect(await readElsewhere(r.patientId)).toEqual([r.events[0]!.data]);
  });

  it("in the caller's transaction the key is not cached: its rollback leaves nothing to seal with", async () => {
    const { store } = replica();
    const r = registration();
    const streamId = patientStreamId(r.patientId);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await store.append(streamId, PATIENT_STREAM, 'no_stream', r.events, metadata, { db: client });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await keyRows(r.patientId)).toBe(0);
    // The same replica writes again: a cached rolled-back key would seal this, and no one could read it.
    await store.append(streamId, PATIENT_STREAM, 'no_stream', r.events, metadata);
    expect(await keyRows(r.patientId)).toBe(1);
    expect(await readElsewhere(r.patientId)).toEqual([r.events[0]!.data]);
  });

  it('seals a multi-stream append of two new patients under keys made in its one transaction', async () => {
    const { store } = replica();
    const [a, b] = [registration(), registration()];
    await store.appendStreams(
      [a, b].map((r) => ({
        streamId: patientStreamId(r.patientId),
        streamType: PATIENT_STREAM,
        expectedVersion: 'no_stream' as const,
        events: r.events,
      })),
      metadata,
    );
    for (const r of [a, b]) {
      expect(await keyRows(r.patientId)).toBe(1);
      expect(await readElsewhere(r.patientId)).toEqual([r.events[0]!.data]);
    }
  });

  it('refuses to seal for an erased patient', async () => {
    const { store, keyring } = replica();
    const r = registration();
    await keyring.shredSubject(tenantId, r.patientId);
    await expect(
      replica().store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, metadata),
    ).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(
      store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, metadata),
    ).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    expect(await keyRows(r.patientId)).toBe(0);
  });
});
