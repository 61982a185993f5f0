import { can } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { patientDecider, type PatientState } from '../domain/index.js';
import { authorizeRead, ownedBy, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import type { RequestContext } from './request-context.js';
import { patientStreamId, requireStreamOf } from './streams.js';

export type RegisteredPatient = Exclude<PatientState, { status: 'unregistered' }>;

/** A patient with the sections the caller may see (minimum necessary). */
export interface PatientView {
  state: RegisteredPatient;
  /** Name, date of birth, gender and postal address. */
  demographics: boolean;
  /** Phone, email and communication consents. */
  contact: boolean;
}

/** Refuses to read an erased (crypto-shredded) patient: their fields can no longer be decrypted. */
export async function assertNotShredded(deps: AppDeps, tenantId: string, patientId: string): Promise<void> {
  await deps.fields.forSubject(tenantId, patientId); // throws KEY_SHREDDED (FAILED_PRECONDITION)
}

export async function loadPatient(deps: AppDeps, patientId: string, asOf?: Date): Promise<RegisteredPatient> {
  const { state } = await deps.store.aggregateStream(patientStreamId(patientId), patientDecider, {
    ...(asOf !== undefined ? { asOf } : {}),
  });
  if (state.status === 'unregistered') throw errors.notFound('PATIENT_NOT_FOUND', 'Patient not found');
  return state;
}

/** One patient's demographics and, when the role allows, contact details: an audited read. */
export async function getPatient(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<PatientView> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const read = { patientId, resourceType: 'Patient', resourceId: patientId, action: 'read' as const };
  await authorizeRead(deps, ctx, 'patient.demographics:read', read);
  await assertNotShredded(deps, tenantId, patientId);
  const state = await loadPatient(deps, patientId);
  const contact = can(ctx.principal, 'patient.contact:read', ownedBy(patientId));
  await recordAllowed(deps, ctx, [read]);
  return { state, demographics: true, contact };
}

/** Compliance: the patient as the record stood at `asOf`, replayed from the log; an audited read. */
export async function getPatientAsOf(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  asOf: Date,
): Promise<PatientView> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const read = { patientId, resourceType: 'Patient', resourceId: patientId, action: 'read' as const };
  await authorizeRead(deps, ctx, 'audit:read', read);
  await assertNotShredded(deps, tenantId, patientId);
  const state = await loadPatient(deps, patientId, asOf);
  await recordAllowed(deps, ctx, [read]);
  return { state, demographics: true, contact: true };
}
