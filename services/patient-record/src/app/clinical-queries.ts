import type { Allergy, Medication } from '../domain/index.js';
import { authorizeRead, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { assertNotShredded, loadPatient } from './patient-queries.js';
import type { RequestContext } from './request-context.js';
import { requireStreamOf } from './streams.js';

/**
 * A patient's allergies and medications: clinical, so read with the chart (clinicians, and the
 * patient their own); one access event per list, written before the data leaves.
 */
export async function getClinicalLists(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<{ allergies: Allergy[]; medications: Medication[] }> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const reads = (['AllergyIntolerance', 'MedicationStatement'] as const).map((resourceType) => ({
    patientId,
    resourceType,
    resourceId: patientId,
    action: 'read' as const,
  }));
  await authorizeRead(deps, ctx, 'patient.chart:read', reads[0]!);
  await assertNotShredded(deps, tenantId, patientId);
  const { patient } = await loadPatient(deps, patientId);
  await recordAllowed(deps, ctx, reads);
  return { allergies: patient.allergies, medications: patient.medications };
}
