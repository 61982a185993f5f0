import type { AppDeps } from '@medspa/patient-record/app';
import { withTransaction, type Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import { PATIENT_STREAM, patientStreamId } from '@medspa/patient-record/app';
import { log } from '../lib/emit.js';
import { config } from './config.js';
import { metadataFor, registration } from './records.js';

/**
 * Registers `count` encrypted patients through the store's own append (codec, outbox and all):
 * each batch creates its patients' data keys in one transaction, then appends the registrations in one
 * transaction, a few batches in flight. Returns the patient ids.
 */
export async function loadPatients(
  deps: { pool: Pool; store: EventStore; fields: AppDeps['fields'] },
  tenantId: string,
  actorId: string,
  count: number,
): Promise<number> {
  const started = Date.now();
  let next = 0;
  let done = 0;
  const metadata = metadataFor(tenantId, actorId, 'front_desk');
  async function writer() {
    while (next < count) {
      const size = Math.min(config.loadBatch, count - next);
      next += size;
      const batch = Array.from({ length: size }, registration);
      // The batch's data keys made in one transaction and read back in one query (the lib's bulk
      // path), not a dozen round trips per patient.
      await deps.fields.preload(
        tenantId,
        batch.map((r) => r.patientId),
        { create: true },
      );
      await withTransaction(deps.pool, async (db) => {
        for (const r of batch) {
          await deps.store.append(
            patientStreamId(r.patientId),
            PATIENT_STREAM,
            'no_stream',
            r.events,
            metadata,
            {
              db,
            },
          );
        }
      });
      done += size;
      if (done % 10_000 < size)
        log(`loaded ${done} patients (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
    }
  }
  await Promise.all(Array.from({ length: config.loadWriters }, writer));
  return (done / (Date.now() - started)) * 1000;
}
