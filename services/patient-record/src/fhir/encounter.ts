import type { Encounter } from '@medplum/fhirtypes';
import type { EncounterState } from '../domain/encounter/encounter.js';
import { logical, type PatientReference } from './references.js';
import { hl7 } from './systems.js';

export type ExportableEncounter = Exclude<EncounterState, { status: 'not_opened' }>;

/**
 * The visit. A signed chart is a finished encounter; an unsigned one is still in progress, so a
 * receiver can tell a draft from the record. No period end: signing can come hours after the
 * Patient left, and we do not record when the visit ended.
 */
export function toFhirEncounter(state: ExportableEncounter, patient: PatientReference): Encounter {
  const c = state.chart;
  return {
    resourceType: 'Encounter',
    id: c.encounterId,
    status: state.status === 'signed' ? 'finished' : 'in-progress',
    class: { system: hl7.actCode, code: 'AMB', display: 'ambulatory' },
    serviceType: { text: c.serviceName },
    subject: patient,
    participant: [
      {
        type: [{ coding: [{ system: hl7.participationType, code: 'PPRF', display: 'primary performer' }] }],
        individual: logical('Practitioner', 'staff', c.providerId),
      },
    ],
    ...(c.appointmentId !== undefined
      ? { appointment: [logical('Appointment', 'appointment', c.appointmentId)] }
      : {}),
    period: { start: c.openedAt },
    location: [{ location: logical('Location', 'location', c.locationId) }],
  };
}
