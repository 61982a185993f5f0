import type { AllergyDetails } from '../patient/clinical-lists.js';
import type { CommunicationConsentGranted, PatientEvent, PatientRegistered } from '../patient/patient.js';
import { ids } from './ids.js';

export const registered: PatientRegistered = {
  type: 'PatientRegistered',
  data: {
    patientId: ids.patient,
    name: { given: ['Ana', 'Maria'], family: 'Silva', preferred: 'Ana' },
    dateOfBirth: '1988-04-12',
    gender: 'female',
    birthSex: 'F',
    phone: '+14155550123',
    email: 'ana.silva@example.com',
    address: {
      line: ['1 Market St'],
      city: 'San Francisco',
      state: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    at: ids.at(9),
  },
};

export const smsConsents: CommunicationConsentGranted[] = [
  {
    type: 'CommunicationConsentGranted',
    data: { patientId: ids.patient, channel: 'sms_transactional', source: 'intake_form', at: ids.at(9) },
  },
  {
    type: 'CommunicationConsentGranted',
    data: { patientId: ids.patient, channel: 'sms_marketing', source: 'intake_form', at: ids.at(9) },
  },
];

export const lidocaineAllergy: AllergyDetails = {
  substance: {
    text: 'Lidocaine',
    coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6387' }],
  },
  category: 'medication',
  criticality: 'high',
  reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
};

export const allergyRecorded: PatientEvent = {
  type: 'AllergyRecorded',
  data: { patientId: ids.patient, allergyId: ids.allergy, ...lidocaineAllergy, at: ids.at(10) },
};

export const medicationRecorded: PatientEvent = {
  type: 'MedicationRecorded',
  data: {
    patientId: ids.patient,
    medicationId: ids.medication,
    medication: { text: 'Aspirin' },
    dosage: '81 mg daily',
    startedOn: '2020',
    at: ids.at(10),
  },
};
