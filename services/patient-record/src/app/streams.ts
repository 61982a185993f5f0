import { quoteIdent } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { AppDeps } from './deps.js';

export const PATIENT_STREAM = 'patient';
export const ENCOUNTER_STREAM = 'encounter';
export const patientStreamId = (patientId: string): string => `patient-${patientId}`;
export const encounterStreamId = (encounterId: string): string => `encounter-${encounterId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patient a stream belongs to, from its first event's clear fields (no decryption), when the
 * stream exists in the caller's tenant. Another tenant's stream reads as missing: NOT_FOUND
 * never reveals that an id exists elsewhere.
 */
export async function requireStreamOf(
  deps: AppDeps,
  tenantId: string,
  kind: 'patient' | 'encounter',
  id: string,
): Promise<{ patientId: string }> {
  const missing = () =>
    kind === 'patient'
      ? errors.notFound('PATIENT_NOT_FOUND', 'Patient not found')
      : errors.notFound('ENCOUNTER_NOT_FOUND', 'Encounter not found');
  if (!UUID.test(id)) {
    const field = kind === 'patient' ? 'patientId' : 'encounterId';
    throw errors.validation('INVALID_ID', `${field} must be a UUID`, {
      violations: [{ field, message: 'must be a UUID' }],
    });
  }
  const streamId = kind === 'patient' ? patientStreamId(id) : encounterStreamId(id);
  const { rows } = await deps.pool.query<{ tenant_id: string | null; patient_id: string | null }>(
    `SELECT metadata->>'tenantId' AS tenant_id, data->>'patientId' AS patient_id
       FROM ${quoteIdent(deps.schema)}.events WHERE stream_id = $1 AND stream_version = 1`,
    [streamId],
  );
  const first = rows[0];
  if (first === undefined || first.tenant_id !== tenantId || first.patient_id === null) throw missing();
  return { patientId: first.patient_id };
}
