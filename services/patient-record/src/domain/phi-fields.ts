import { consentDocumentPhiFields, type ConsentDocumentEvent } from './consent-document/consent-document.js';
import { encounterPhiFields, type EncounterEvent } from './encounter/encounter.js';
import { intakeFormPhiFields, type IntakeFormEvent } from './intake-form/intake-form.js';
import {
  intakeFormTemplatePhiFields,
  type IntakeFormTemplateEvent,
} from './intake-form-template/intake-form-template.js';
import { patientPhiFields, type PatientEvent } from './patient/patient.js';
import type { PhiFields } from './shared/phi.js';

/** Every event the patient-record service writes (event types are unique across its aggregates). */
export type PatientRecordEvent =
  PatientEvent | EncounterEvent | ConsentDocumentEvent | IntakeFormTemplateEvent | IntakeFormEvent;

/** The PHI fields of every event type of the service: what the event codec encrypts. */
export const phiFields: PhiFields<PatientRecordEvent> = {
  ...patientPhiFields,
  ...encounterPhiFields,
  ...consentDocumentPhiFields,
  ...intakeFormTemplatePhiFields,
  ...intakeFormPhiFields,
};

/**
 * The PHI fields of a stored event type, or undefined for a type this service does not know: the
 * codec must then refuse to write the event rather than store it unencrypted.
 */
export function phiFieldsOf(eventType: string): readonly string[] | undefined {
  return Object.hasOwn(phiFields, eventType) ? phiFields[eventType as PatientRecordEvent['type']] : undefined;
}
