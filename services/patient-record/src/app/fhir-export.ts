import { exportPatientRecord } from '../fhir/index.js';
import { encounterIdsOf } from '../projections/encounter-directory/queries.js';
import { documentIdsOf } from '../projections/patient-documents/queries.js';
import { authorizeRead, recordAllowed } from './access.js';
import { loadConsentDocuments } from './consent-documents.js';
import type { AppDeps } from './deps.js';
import { loadEncounters } from './encounter-queries.js';
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
  // Charts and consents of a duplicate merged into this record are this person's too.
  const owners = [patientId, ...patient.patient.mergedFrom.map((m) => m.patientId)];
  const encounterIds = await encounterIdsOf(deps.pool, deps.schema, tenantId, owners);
  const encounters = await loadEncounters(deps, encounterIds);
  const consentIds = await documentIdsOf(deps.pool, deps.schema, {
    tenantId,
    patientIds: owners,
    kind: 'consent_document',
  });
  const consentDocuments = await loadConsentDocuments(deps, consentIds);
  const bundle = exportPatientRecord(
    { patient, encounters, consentDocuments },
    { exportedAt: deps.now().toISOString() },
  );
  await recordAllowed(deps, ctx, [access]);
  return JSON.stringify(bundle);
}
