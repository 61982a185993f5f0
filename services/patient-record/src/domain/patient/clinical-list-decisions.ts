import { errors } from '@medspa/errors';
import { checkId } from '../shared/text.js';
import { utcDateOf } from '../shared/time.js';
import { refuse, Violations } from '../shared/violations.js';
import {
  checkAllergy,
  checkMedication,
  normaliseAllergy,
  normaliseMedication,
  type AllergyDetails,
  type MedicationDetails,
} from './clinical-lists.js';
import type { Patient, PatientEvent } from './patient.js';

export type RecordAllergy = { type: 'RecordAllergy'; allergyId: string; allergy: AllergyDetails; at: string };
export type ResolveAllergy = { type: 'ResolveAllergy'; allergyId: string; at: string };
export type RecordMedication = {
  type: 'RecordMedication';
  medicationId: string;
  medication: MedicationDetails;
  at: string;
};
export type StopMedication = { type: 'StopMedication'; medicationId: string; at: string };

export type ClinicalListCommand = RecordAllergy | ResolveAllergy | RecordMedication | StopMedication;

/** Allergies and medications: added with ids chosen by the caller, resolved or stopped once. */
export function decideClinicalList(command: ClinicalListCommand, p: Patient): PatientEvent[] {
  const { patientId } = p;
  const { at } = command;
  const v = new Violations();
  switch (command.type) {
    case 'RecordAllergy': {
      checkId(v, command.allergyId, 'allergyId');
      checkAllergy(v, command.allergy);
      v.throwIfAny('The allergy is invalid');
      if (p.allergies.some((a) => a.allergyId === command.allergyId)) {
        throw errors.conflict('ALLERGY_ALREADY_RECORDED', 'An allergy with this id is already recorded');
      }
      const allergy = normaliseAllergy(command.allergy);
      return [{ type: 'AllergyRecorded', data: { patientId, allergyId: command.allergyId, ...allergy, at } }];
    }
    case 'ResolveAllergy': {
      const allergy = p.allergies.find((a) => a.allergyId === command.allergyId);
      if (allergy === undefined) throw errors.notFound('ALLERGY_NOT_FOUND', 'Allergy not found');
      return allergy.resolvedAt !== undefined
        ? []
        : [{ type: 'AllergyResolved', data: { patientId, allergyId: command.allergyId, at } }];
    }
    case 'RecordMedication': {
      checkId(v, command.medicationId, 'medicationId');
      checkMedication(v, command.medication, utcDateOf(at));
      v.throwIfAny('The medication is invalid');
      if (p.medications.some((m) => m.medicationId === command.medicationId)) {
        throw errors.conflict('MEDICATION_ALREADY_RECORDED', 'A medication with this id is already recorded');
      }
      const medication = normaliseMedication(command.medication);
      return [
        {
          type: 'MedicationRecorded',
          data: { patientId, medicationId: command.medicationId, ...medication, at },
        },
      ];
    }
    case 'StopMedication': {
      const medication = p.medications.find((m) => m.medicationId === command.medicationId);
      if (medication === undefined) throw errors.notFound('MEDICATION_NOT_FOUND', 'Medication not found');
      return medication.stoppedAt !== undefined
        ? []
        : [{ type: 'MedicationStopped', data: { patientId, medicationId: command.medicationId, at } }];
    }
    default: {
      const _exhaustive: never = command;
      return refuse('UNKNOWN_COMMAND', 'type', 'is not a clinical list command');
    }
  }
}
