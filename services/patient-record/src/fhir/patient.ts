import type { HumanName, Patient as FhirPatient, PatientLink } from '@medplum/fhirtypes';
import type { Patient, PatientState } from '../domain/patient/patient.js';
import { logical } from './references.js';
import { hl7, identifierSystems } from './systems.js';

export type ExportablePatient = Exclude<PatientState, { status: 'unregistered' }>;

function names(p: Patient): HumanName[] {
  const { given, family, prefix, suffix, preferred } = p.demographics.name;
  const official: HumanName = {
    use: 'official',
    ...(family !== '' ? { family } : {}),
    ...(given.length > 0 ? { given } : {}),
    ...(prefix ? { prefix } : {}),
    ...(suffix ? { suffix } : {}),
  };
  // FHIR's "usual" name is the one a person goes by: what staff call the Patient.
  return preferred === undefined ? [official] : [official, { use: 'usual', given: [preferred] }];
}

/**
 * Merges become Patient.link: the survivor `replaces` each duplicate and a duplicate is
 * `replaced-by` its survivor (and no longer active), so a receiver can follow the trail.
 */
function links(state: ExportablePatient): PatientLink[] {
  const replaces = state.patient.mergedFrom.map((m): PatientLink => ({
    other: logical('Patient', 'patient', m.patientId),
    type: 'replaces',
  }));
  if (state.status !== 'merged') return replaces;
  return [
    ...replaces,
    { other: logical('Patient', 'patient', state.mergedInto.patientId), type: 'replaced-by' },
  ];
}

/** The Patient resource: demographics and contact details (consents to contact are not FHIR's). */
export function toFhirPatient(state: ExportablePatient): FhirPatient {
  const p = state.patient;
  const { phone, email, address } = p.contact;
  const { birthSex } = p.demographics;
  const telecom = [
    ...(phone !== undefined ? [{ system: 'phone' as const, value: phone, use: 'mobile' as const }] : []),
    ...(email !== undefined ? [{ system: 'email' as const, value: email }] : []),
  ];
  const link = links(state);
  return {
    resourceType: 'Patient',
    id: p.patientId,
    ...(birthSex !== undefined ? { extension: [{ url: hl7.usCoreBirthSex, valueCode: birthSex }] } : {}),
    identifier: [{ use: 'usual', system: identifierSystems.patient, value: p.patientId }],
    active: state.status === 'active',
    name: names(p),
    ...(telecom.length > 0 ? { telecom } : {}),
    gender: p.demographics.gender,
    birthDate: p.demographics.dateOfBirth,
    ...(address !== undefined ? { address: [{ use: 'home', type: 'both', ...address }] } : {}),
    ...(link.length > 0 ? { link } : {}),
  };
}
