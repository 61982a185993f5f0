import { foldEvents } from '@medspa/eventstore';
import { consentDocumentDecider } from '../../domain/consent-document/decide.js';
import type { ConsentDocumentEvent } from '../../domain/consent-document/consent-document.js';
import { encounterDecider } from '../../domain/encounter/decide.js';
import type { EncounterEvent } from '../../domain/encounter/encounter.js';
import { patientDecider } from '../../domain/patient/decide.js';
import type { PatientEvent } from '../../domain/patient/patient.js';
import { consentSigned } from '../../domain/test-fixtures/consent-document.js';
import {
  chartSigned,
  examRecorded,
  noteRecorded,
  opened,
  productUsed,
} from '../../domain/test-fixtures/encounter.js';
import { ids } from '../../domain/test-fixtures/ids.js';
import {
  allergyRecorded,
  medicationRecorded,
  registered,
  smsConsents,
} from '../../domain/test-fixtures/patient.js';
import type { PatientRecordForExport } from '../bundle.js';

/** Everything a chart can hold: the fixture record the export tests map and validate. */
export const patientEvents: PatientEvent[] = [
  registered,
  ...smsConsents,
  allergyRecorded,
  { type: 'AllergyResolved', data: { patientId: ids.patient, allergyId: ids.allergy, at: ids.at(11) } },
  medicationRecorded,
  {
    type: 'MedicationStopped',
    data: { patientId: ids.patient, medicationId: ids.medication, at: ids.at(11) },
  },
  {
    type: 'PatientMerged',
    data: { patientId: ids.patient, duplicatePatientId: ids.duplicate, mergedBy: ids.staff, at: ids.at(12) },
  },
];

const filler: EncounterEvent = {
  type: 'ProductUsed',
  data: {
    encounterId: ids.encounter,
    patientId: ids.patient,
    productUseId: ids.productUse2,
    product: { name: 'Juvederm Volbella XC', category: 'filler', manufacturer: 'Allergan' },
    lotNumber: 'VB20391',
    expiresOn: '2026-11-30',
    quantity: { value: 1, unit: 'mL' },
    injections: [
      { site: 'lip_upper', amount: 0.3 },
      { site: 'lip_upper', amount: 0.2 },
      { site: 'lip_lower', amount: 0.4 },
    ],
    at: ids.at(18),
  },
};

export const signedEncounterEvents: EncounterEvent[] = [
  opened,
  examRecorded,
  productUsed,
  filler,
  {
    type: 'PhotoAttached',
    data: {
      encounterId: ids.encounter,
      patientId: ids.patient,
      photoId: ids.photo,
      kind: 'before',
      objectKey: `photos/${ids.photo}.jpg`,
      contentType: 'image/jpeg',
      at: ids.at(17),
    },
  },
  noteRecorded,
  chartSigned,
  {
    type: 'AddendumSigned',
    data: {
      encounterId: ids.encounter,
      patientId: ids.patient,
      addendumId: ids.addendum,
      authorId: ids.provider,
      text: 'Day 3 call: mild bruising at upper lip, resolving.',
      at: ids.at(10, '2025-06-05'),
    },
  },
];

// A chart of the merged duplicate, still a draft: its stream keeps the duplicate's id.
const duplicateEncounterId = '01936f3a-0000-7000-8000-0000000000f0';
export const draftEncounterEvents: EncounterEvent[] = [
  {
    ...opened,
    data: {
      ...opened.data,
      encounterId: duplicateEncounterId,
      patientId: ids.duplicate,
      appointmentId: undefined,
    },
  },
];

export const withdrawnByRepresentative: ConsentDocumentEvent[] = [
  {
    ...consentSigned,
    data: {
      ...consentSigned.data,
      consentDocumentId: '01936f3a-0000-7000-8000-0000000000f1',
      purpose: 'photography',
      title: 'Photography release',
      signerId: ids.guardian,
      signerRole: 'legal_representative',
      signerName: 'Rita Silva',
    },
  },
  {
    type: 'ConsentDocumentWithdrawn',
    data: {
      consentDocumentId: '01936f3a-0000-7000-8000-0000000000f1',
      patientId: ids.patient,
      withdrawnBy: ids.guardian,
      reason: 'No longer wishes photos used',
      at: ids.at(9, '2025-06-20'),
    },
  },
];

const exportable = <S extends { status: string }, X extends S['status']>(state: S, excluded: X) => {
  if (state.status === excluded) throw new Error('fixture did not fold to a record');
  return state as Exclude<S, { status: X }>;
};

/** The fixture record, folded from events exactly as the export handler will. */
export function fixtureRecord(): PatientRecordForExport {
  return {
    patient: exportable(foldEvents(patientDecider, patientEvents), 'unregistered'),
    encounters: [signedEncounterEvents, draftEncounterEvents].map((events) =>
      exportable(foldEvents(encounterDecider, events), 'not_opened'),
    ),
    consentDocuments: [[consentSigned], withdrawnByRepresentative].map((events) =>
      exportable(foldEvents(consentDocumentDecider, events), 'unsigned'),
    ),
  };
}
