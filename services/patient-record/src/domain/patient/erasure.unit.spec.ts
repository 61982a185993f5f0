import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { registered } from '../test-fixtures/patient.js';
import { patientDecider } from './decide.js';
import type { PatientEvent } from './patient.js';

const spec = deciderSpec(patientDecider);
const at = ids.at(16);
const erased: PatientEvent = {
  type: 'PatientErased',
  data: { patientId: ids.patient, erasedBy: ids.staff, at },
};

describe('Patient: erasure (crypto-shredding) is recorded once, then the record is closed', () => {
  it('records who erased the patient, ids only', () => {
    spec.given([registered]).when({ type: 'ErasePatient', erasedBy: ids.staff, at }).then([erased]);
  });

  it('is idempotent, so a retry after the keys were destroyed records nothing', () => {
    spec
      .given([registered, erased])
      .when({ type: 'ErasePatient', erasedBy: ids.staff, at: ids.at(17) })
      .thenNothingHappens();
  });

  it('refuses any change after erasure', () => {
    spec
      .given([registered, erased])
      .when({ type: 'ChangeContactDetails', contact: {}, at: ids.at(17) })
      .thenThrows('PATIENT_ERASED');
  });

  it('refuses an unregistered patient and a malformed actor', () => {
    spec.given([]).when({ type: 'ErasePatient', erasedBy: ids.staff, at }).thenThrows('PATIENT_NOT_FOUND');
    spec.given([registered]).when({ type: 'ErasePatient', erasedBy: 'x', at }).thenThrows('INVALID_ID');
  });
});
