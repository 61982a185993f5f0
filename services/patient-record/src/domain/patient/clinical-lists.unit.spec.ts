import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import {
  allergyRecorded,
  lidocaineAllergy,
  medicationRecorded,
  registered,
} from '../test-fixtures/patient.js';
import { patientDecider } from './decide.js';

const spec = deciderSpec(patientDecider);
const patientId = ids.patient;
const at = ids.at(12);

describe('Patient: allergies and medications', () => {
  it('records an allergy', () => {
    spec
      .given([registered])
      .when({ type: 'RecordAllergy', allergyId: ids.allergy, allergy: lidocaineAllergy, at: ids.at(10) })
      .then([allergyRecorded]);
  });

  it('refuses an allergy without a substance, or with a non-FHIR criticality', () => {
    spec
      .given([registered])
      .when({
        type: 'RecordAllergy',
        allergyId: ids.allergy,
        allergy: { substance: { text: ' ' }, reactions: [] },
        at,
      })
      .thenThrows('INVALID_ALLERGY');
    spec
      .given([registered])
      .when({
        type: 'RecordAllergy',
        allergyId: ids.allergy,
        allergy: { substance: { text: 'Latex' }, criticality: 'very' as 'high', reactions: [] },
        at,
      })
      .thenThrows('INVALID_ALLERGY');
  });

  it('refuses a second allergy with the same id', () => {
    spec
      .given([registered, allergyRecorded])
      .when({
        type: 'RecordAllergy',
        allergyId: ids.allergy,
        allergy: { substance: { text: 'Latex' }, reactions: [] },
        at,
      })
      .thenThrows('ALLERGY_ALREADY_RECORDED');
  });

  it('resolves an allergy once', () => {
    const resolved = { type: 'AllergyResolved' as const, data: { patientId, allergyId: ids.allergy, at } };
    spec
      .given([registered, allergyRecorded])
      .when({ type: 'ResolveAllergy', allergyId: ids.allergy, at })
      .then([resolved]);
    spec
      .given([registered, allergyRecorded, resolved])
      .when({ type: 'ResolveAllergy', allergyId: ids.allergy, at })
      .thenNothingHappens();
    spec
      .given([registered])
      .when({ type: 'ResolveAllergy', allergyId: ids.allergy, at })
      .thenThrows('ALLERGY_NOT_FOUND');
  });

  it('records a medication (tidied, with a partial start date) and stops it', () => {
    spec
      .given([registered])
      .when({
        type: 'RecordMedication',
        medicationId: ids.medication,
        medication: { medication: { text: ' Aspirin ' }, dosage: '81 mg  daily', startedOn: '2020' },
        at: ids.at(10),
      })
      .then([medicationRecorded]);
    spec
      .given([registered, medicationRecorded])
      .when({ type: 'StopMedication', medicationId: ids.medication, at })
      .then([{ type: 'MedicationStopped', data: { patientId, medicationId: ids.medication, at } }]);
  });

  it('refuses a medication started in the future', () => {
    spec
      .given([registered])
      .when({
        type: 'RecordMedication',
        medicationId: ids.medication,
        medication: { medication: { text: 'Tretinoin' }, startedOn: '2025-07' },
        at,
      })
      .thenThrows('INVALID_MEDICATION');
  });
});
