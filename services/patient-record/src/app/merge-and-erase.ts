import { requirePermission } from '@medspa/auth';
import { withTransaction } from '@medspa/db';
import { errors } from '@medspa/errors';
import { patientDecider, type PatientCommand } from '../domain/index.js';
import type { AppDeps } from './deps.js';
import { metadataOf, type RequestContext } from './request-context.js';
import { PATIENT_STREAM, patientStreamId, requireStreamOf } from './streams.js';

type Db = Parameters<Parameters<typeof withTransaction>[1]>[0];

/** Decides on one patient stream and appends inside the caller's transaction. */
async function decideIn(
  db: Db,
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  command: PatientCommand,
) {
  const streamId = patientStreamId(patientId);
  const { state, version } = await deps.store.aggregateStream(streamId, patientDecider, { db });
  const events = patientDecider.decide(command, state);
  if (events.length > 0) {
    await deps.store.append(streamId, PATIENT_STREAM, version, events, metadataOf(ctx), { db });
  }
}

/**
 * Folds a duplicate record into a survivor: both streams are appended in one transaction (the
 * survivor's PatientMerged and the duplicate's PatientMergedInto), so a record is never half
 * merged. Neither history is rewritten; both can still be replayed as they stood before.
 */
export async function mergePatients(
  deps: AppDeps,
  ctx: RequestContext,
  input: { survivorPatientId: string; duplicatePatientId: string },
): Promise<void> {
  const { tenantId, userId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', input.survivorPatientId);
  await requireStreamOf(deps, tenantId, 'patient', input.duplicatePatientId);
  // Staff of the clinic only: a patient account must not fold another person into its record.
  if (requirePermission(ctx.principal, 'patient.demographics:write') === 'own') {
    throw errors.forbidden('PERMISSION_DENIED', 'Duplicate records are merged by the clinic');
  }
  const at = deps.now().toISOString();
  await withTransaction(deps.pool, async (db) => {
    await decideIn(db, deps, ctx, input.survivorPatientId, {
      type: 'MergePatient',
      duplicatePatientId: input.duplicatePatientId,
      mergedBy: userId,
      at,
    });
    await decideIn(db, deps, ctx, input.duplicatePatientId, {
      type: 'MarkPatientMergedInto',
      survivorPatientId: input.survivorPatientId,
      mergedBy: userId,
      at,
    });
  });
}

/**
 * Erasure where the law requires it: PatientErased (ids only) is appended and the patient's keys
 * destroyed in one transaction, with the read-model purge (the keyring's shred hook). Every event
 * stays in the log, unreadable. Only `patient:erase` (the owner) may.
 */
export async function erasePatient(deps: AppDeps, ctx: RequestContext, patientId: string): Promise<void> {
  const { tenantId, userId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  requirePermission(ctx.principal, 'patient:erase');
  await withTransaction(deps.pool, async (db) => {
    await decideIn(db, deps, ctx, patientId, {
      type: 'ErasePatient',
      erasedBy: userId,
      at: deps.now().toISOString(),
    });
    await deps.keyring.shredSubject(tenantId, patientId, { client: db });
  });
}
