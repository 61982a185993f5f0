import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { registered } from '../test-fixtures/patient.js';
import { patientDecider } from './decide.js';
import type { PatientEvent } from './patient.js';

const spec = deciderSpec(patientDecider);
const at = ids.at(15);
const mergedBy = ids.staff;
const duplicate = { ...registered, data: { ...registered.data, patientId: ids.duplicate } };
const mergedInto: PatientEvent = {
  type: 'PatientMergedInto',
  data: { patientId: ids.duplicate, survivorPatientId: ids.patient, mergedBy, at },
};

describe('Patient: merge of duplicates, with a trail on both records', () => {
  it('records on the survivor which duplicate it absorbed', () => {
    spec
      .given([registered])
      .when({ type: 'MergePatient', duplicatePatientId: ids.duplicate, mergedBy, at })
      .then([
        {
          type: 'PatientMerged',
          data: { patientId: ids.patient, duplicatePatientId: ids.duplicate, mergedBy, at },
        },
      ]);
  });

  it('records on the duplicate where it went', () => {
    spec
      .given([duplicate])
      .when({ type: 'MarkPatientMergedInto', survivorPatientId: ids.patient, mergedBy, at })
      .then([mergedInto]);
  });

  it('is idempotent on both sides, so the merging process can retry', () => {
    spec
      .given([duplicate, mergedInto])
      .when({ type: 'MarkPatientMergedInto', survivorPatientId: ids.patient, mergedBy, at })
      .thenNothingHappens();
    spec
      .given([
        registered,
        {
          type: 'PatientMerged',
          data: { patientId: ids.patient, duplicatePatientId: ids.duplicate, mergedBy, at },
        },
      ])
      .when({ type: 'MergePatient', duplicatePatientId: ids.duplicate, mergedBy, at })
      .thenNothingHappens();
  });

  it('the merged duplicate refuses every change', () => {
    spec
      .given([duplicate, mergedInto])
      .when({ type: 'GrantCommunicationConsent', channel: 'email', source: 'staff', at })
      .thenThrows('PATIENT_MERGED');
    spec
      .given([duplicate, mergedInto])
      .when({ type: 'MarkPatientMergedInto', survivorPatientId: ids.other, mergedBy, at })
      .thenThrows('PATIENT_MERGED');
    spec
      .given([duplicate, mergedInto])
      .when({ type: 'MergePatient', duplicatePatientId: ids.other, mergedBy, at })
      .thenThrows('PATIENT_MERGED');
  });

  it('refuses to merge a patient with itself', () => {
    spec
      .given([registered])
      .when({ type: 'MergePatient', duplicatePatientId: ids.patient, mergedBy, at })
      .thenThrows('CANNOT_MERGE_INTO_SELF');
  });
});
