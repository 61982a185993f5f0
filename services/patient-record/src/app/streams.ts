import { quoteIdent } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { AppDeps } from './deps.js';

export const PATIENT_STREAM = 'patient';
export const ENCOUNTER_STREAM = 'encounter';
export const CONSENT_DOCUMENT_STREAM = 'consent_document';
export const INTAKE_FORM_STREAM = 'intake_form';
export const INTAKE_TEMPLATE_STREAM = 'intake_form_template';
export const patientStreamId = (patientId: string): string => `patient-${patientId}`;
export const encounterStreamId = (encounterId: string): string => `encounter-${encounterId}`;
export const consentDocumentStreamId = (id: string): string => `consent_document-${id}`;
export const intakeFormStreamId = (id: string): string => `intake_form-${id}`;
export const intakeTemplateStreamId = (id: string): string => `intake_form_template-${id}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The streams that belong to one patient, by the id the caller names them with. */
export type PatientOwnedKind = 'patient' | 'encounter' | 'consent_document' | 'intake_form';

const kinds: Record<
  PatientOwnedKind | 'intake_form_template',
  { field: string; streamId: (id: string) => string; reason: string; message: string }
> = {
  patient: { field: 'patientId', streamId: patientStreamId, reason: 'PATIENT_NOT_FOUND', message: 'Patient' },
  encounter: {
    field: 'encounterId',
    streamId: encounterStreamId,
    reason: 'ENCOUNTER_NOT_FOUND',
    message: 'Encounter',
  },
  consent_document: {
    field: 'consentDocumentId',
    streamId: consentDocumentStreamId,
    reason: 'CONSENT_DOCUMENT_NOT_FOUND',
    message: 'Consent document',
  },
  intake_form: {
    field: 'intakeFormId',
    streamId: intakeFormStreamId,
    reason: 'INTAKE_FORM_NOT_FOUND',
    message: 'Intake form',
  },
  intake_form_template: {
    field: 'templateId',
    streamId: intakeTemplateStreamId,
    reason: 'INTAKE_TEMPLATE_NOT_FOUND',
    message: 'Intake form template',
  },
};

/** INVALID_ID for an id that is not a UUID, naming the request field. */
export function requireUuid(id: string, field: string): void {
  if (!UUID.test(id)) {
    throw errors.validation('INVALID_ID', `${field} must be a UUID`, {
      violations: [{ field, message: 'must be a UUID' }],
    });
  }
}

/** The first event's tenant and patient id (clear fields, no decryption), or undefined. */
async function firstEventOf(deps: AppDeps, streamId: string) {
  const { rows } = await deps.pool.query<{ tenant_id: string | null; patient_id: string | null }>(
    `SELECT metadata->>'tenantId' AS tenant_id, data->>'patientId' AS patient_id
       FROM ${quoteIdent(deps.schema)}.events WHERE stream_id = $1 AND stream_version = 1`,
    [streamId],
  );
  return rows[0];
}

/**
 * The patient a stream belongs to, from its first event's clear fields (no decryption), when the
 * stream exists in the caller's tenant. Another tenant's stream reads as missing: NOT_FOUND
 * never reveals that an id exists elsewhere.
 */
export async function requireStreamOf(
  deps: AppDeps,
  tenantId: string,
  kind: PatientOwnedKind,
  id: string,
): Promise<{ patientId: string }> {
  const k = kinds[kind];
  requireUuid(id, k.field);
  const first = await firstEventOf(deps, k.streamId(id));
  if (first === undefined || first.tenant_id !== tenantId || first.patient_id === null) {
    throw errors.notFound(k.reason, `${k.message} not found`);
  }
  return { patientId: first.patient_id };
}

/** An intake form template of the caller's tenant (templates belong to the clinic, not a patient). */
export async function requireTemplateOf(deps: AppDeps, tenantId: string, templateId: string): Promise<void> {
  const k = kinds.intake_form_template;
  requireUuid(templateId, k.field);
  const first = await firstEventOf(deps, k.streamId(templateId));
  if (first === undefined || first.tenant_id !== tenantId)
    throw errors.notFound(k.reason, `${k.message} not found`);
}
