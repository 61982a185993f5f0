import type { AllergyIntolerance, CodeableConcept, MedicationStatement } from '@medplum/fhirtypes';
import type { Allergy, Medication } from '../domain/patient/patient.js';
import type { CodedText } from '../domain/shared/coding.js';
import type { PatientReference } from './references.js';
import { hl7 } from './systems.js';

export const toCodeableConcept = (c: CodedText): CodeableConcept => ({
  ...(c.coding !== undefined ? { coding: c.coding.map((x) => ({ ...x })) } : {}),
  text: c.text,
});

/** An allergy; resolution is a clinical status, not a deletion, so resolved allergies are exported. */
export function toFhirAllergyIntolerance(a: Allergy, patient: PatientReference): AllergyIntolerance {
  const status = a.resolvedAt === undefined ? 'active' : 'resolved';
  return {
    resourceType: 'AllergyIntolerance',
    id: a.allergyId,
    clinicalStatus: { coding: [{ system: hl7.allergyClinical, code: status }] },
    ...(a.category !== undefined ? { category: [a.category] } : {}),
    ...(a.criticality !== undefined ? { criticality: a.criticality } : {}),
    code: toCodeableConcept(a.substance),
    patient,
    recordedDate: a.recordedAt,
    ...(a.reactions.length > 0
      ? {
          reaction: a.reactions.map((r) => ({
            manifestation: [{ text: r.manifestation }],
            ...(r.severity !== undefined ? { severity: r.severity } : {}),
          })),
        }
      : {}),
  };
}

/** A medication the Patient reported taking; the Patient is the information source. */
export function toFhirMedicationStatement(m: Medication, patient: PatientReference): MedicationStatement {
  const period = {
    ...(m.startedOn !== undefined ? { start: m.startedOn } : {}),
    ...(m.stoppedAt !== undefined ? { end: m.stoppedAt } : {}),
  };
  return {
    resourceType: 'MedicationStatement',
    id: m.medicationId,
    status: m.stoppedAt === undefined ? 'active' : 'stopped',
    medicationCodeableConcept: toCodeableConcept(m.medication),
    subject: patient,
    ...(Object.keys(period).length > 0 ? { effectivePeriod: period } : {}),
    dateAsserted: m.recordedAt,
    informationSource: patient,
    ...(m.dosage !== undefined ? { dosage: [{ text: m.dosage }] } : {}),
  };
}
