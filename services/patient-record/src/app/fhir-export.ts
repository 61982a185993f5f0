import { exportPatientRecord } from '../fhir/index.js';
import { encounterIdsOf } from '../projections/encounter-directory/queries.js';
import { authorizeRead, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { loadEncounter } from './encounter-queries.js';
import { assertNotShredded, loadPatient } from './patient-queries.js';
import type { RequestContext } from './request-context.js';
import { requireStreamOf } from './streams.js';

/**
 * The whole record as a FHIR R4 Bundle: a disclosure (it leaves the system), so it needs chart
 * access and is recorded as `disclose` for the accounting of disclosures.
 */
export async function exportPatientFhir(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<string> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const access = { patientId, resourceType: 'Bundle', resourceId: patientId, action: 'disclose' as const };
  await authorizeRead(deps, ctx, 'patient.chart:read', access);
  await assertNotShredded(deps, tenantId, patientId);
  const patient = await loadPatient(deps, patientId);
  const encounterIds = await encounterIdsOf(deps.pool, deps.schema, tenantId, patientId);
  const encounters = await Promise.all(encounterIds.map((id) => loadEncounter(deps, id)));
  // Consent documents are not charted through this API yet, so none are exported.
  const bundle = exportPatientRecord(
    { patient, encounters, consentDocuments: [] },
    { exportedAt: deps.now().toISOString() },
  );
  await recordAllowed(deps, ctx, [access]);
  return JSON.stringify(bundle);
}
