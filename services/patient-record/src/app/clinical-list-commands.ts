import { requirePermission } from '@medspa/auth';
import { newId } from '@medspa/eventstore';
import type { AllergyDetails, MedicationDetails } from '../domain/index.js';
import type { AppDeps } from './deps.js';
import { decide } from './patient-commands.js';
import type { RequestContext } from './request-context.js';
import { requireStreamOf } from './streams.js';

// Allergies and medications are clinical: charted by clinicians (patient.chart:write), read with
// the chart. Tenant first (NOT_FOUND for another clinic's id), then role.
async function authorize(deps: AppDeps, ctx: RequestContext, patientId: string) {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', patientId);
  requirePermission(ctx.principal, 'patient.chart:write');
}

export async function recordAllergy(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  allergy: AllergyDetails,
): Promise<string> {
  await authorize(deps, ctx, patientId);
  const allergyId = newId();
  await decide(deps, ctx, patientId, {
    type: 'RecordAllergy',
    allergyId,
    allergy,
    at: deps.now().toISOString(),
  });
  return allergyId;
}

export async function resolveAllergy(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  allergyId: string,
) {
  await authorize(deps, ctx, patientId);
  await decide(deps, ctx, patientId, { type: 'ResolveAllergy', allergyId, at: deps.now().toISOString() });
}

export async function recordMedication(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  medication: MedicationDetails,
): Promise<string> {
  await authorize(deps, ctx, patientId);
  const medicationId = newId();
  const at = deps.now().toISOString();
  await decide(deps, ctx, patientId, { type: 'RecordMedication', medicationId, medication, at });
  return medicationId;
}

export async function stopMedication(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  medicationId: string,
) {
  await authorize(deps, ctx, patientId);
  await decide(deps, ctx, patientId, { type: 'StopMedication', medicationId, at: deps.now().toISOString() });
}
