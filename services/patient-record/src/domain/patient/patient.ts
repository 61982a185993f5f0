import type { DomainEvent } from '@medspa/eventstore';
import type { PhiFields } from '../shared/phi.js';
import type { AllergyDetails, MedicationDetails } from './clinical-lists.js';
import type {
  CommunicationChannel,
  CommunicationConsents,
  RecordedConsentSource,
} from './communication-consent.js';
import type { ContactDetails } from './contact.js';
import type { Demographics } from './demographics.js';

type At = { patientId: string; at: string };

export type PatientRegistered = DomainEvent<'PatientRegistered', At & Demographics & ContactDetails>;
/** Replaces all demographics: a correction or a legal name change. */
export type PatientDemographicsChanged = DomainEvent<'PatientDemographicsChanged', At & Demographics>;
/** Replaces all contact details; an absent field means none on file. */
export type PatientContactDetailsChanged = DomainEvent<'PatientContactDetailsChanged', At & ContactDetails>;
type ConsentData = At & { channel: CommunicationChannel; source: RecordedConsentSource };
export type CommunicationConsentGranted = DomainEvent<'CommunicationConsentGranted', ConsentData>;
export type CommunicationConsentRevoked = DomainEvent<'CommunicationConsentRevoked', ConsentData>;
export type AllergyRecorded = DomainEvent<'AllergyRecorded', At & { allergyId: string } & AllergyDetails>;
export type AllergyResolved = DomainEvent<'AllergyResolved', At & { allergyId: string }>;
export type MedicationRecorded = DomainEvent<
  'MedicationRecorded',
  At & { medicationId: string } & MedicationDetails
>;
export type MedicationStopped = DomainEvent<'MedicationStopped', At & { medicationId: string }>;
/** On the survivor: a duplicate record of the same person was folded into this one. */
export type PatientMerged = DomainEvent<
  'PatientMerged',
  At & { duplicatePatientId: string; mergedBy: string }
>;
/** On the duplicate: from now on the survivor is the record; this one refuses changes. */
export type PatientMergedInto = DomainEvent<
  'PatientMergedInto',
  At & { survivorPatientId: string; mergedBy: string }
>;

/**
 * Erasure where the law requires it: recorded (ids only) before the patient's keys are destroyed,
 * so the audit trail and other services learn of it; from here on the record refuses changes.
 */
export type PatientErased = DomainEvent<'PatientErased', At & { erasedBy: string }>;

export type PatientEvent =
  | PatientRegistered
  | PatientDemographicsChanged
  | PatientContactDetailsChanged
  | CommunicationConsentGranted
  | CommunicationConsentRevoked
  | AllergyRecorded
  | AllergyResolved
  | MedicationRecorded
  | MedicationStopped
  | PatientMerged
  | PatientMergedInto
  | PatientErased;

/** Which fields of each Patient event are PHI (see PhiFields). */
export const patientPhiFields: PhiFields<PatientEvent> = {
  PatientRegistered: ['name', 'dateOfBirth', 'gender', 'birthSex', 'phone', 'email', 'address'],
  PatientDemographicsChanged: ['name', 'dateOfBirth', 'gender', 'birthSex'],
  PatientContactDetailsChanged: ['phone', 'email', 'address'],
  CommunicationConsentGranted: [],
  CommunicationConsentRevoked: [],
  AllergyRecorded: ['substance', 'category', 'criticality', 'reactions'],
  AllergyResolved: [],
  MedicationRecorded: ['medication', 'dosage', 'startedOn'],
  MedicationStopped: [],
  PatientMerged: [],
  PatientMergedInto: [],
  PatientErased: [],
};

export interface Allergy extends AllergyDetails {
  allergyId: string;
  recordedAt: string;
  resolvedAt?: string;
}

export interface Medication extends MedicationDetails {
  medicationId: string;
  recordedAt: string;
  stoppedAt?: string;
}

export interface MergeTrailEntry {
  patientId: string;
  mergedBy: string;
  at: string;
}

/** What the clinic knows of one person. */
export interface Patient {
  patientId: string;
  demographics: Demographics;
  contact: ContactDetails;
  consents: CommunicationConsents;
  allergies: Allergy[];
  medications: Medication[];
  /** Duplicates folded into this record, oldest first. */
  mergedFrom: MergeTrailEntry[];
  registeredAt: string;
  /** Set once the patient was erased (crypto-shredded). */
  erasedAt?: string;
}

export type PatientState =
  | { status: 'unregistered' }
  | { status: 'active'; patient: Patient }
  | { status: 'merged'; patient: Patient; mergedInto: MergeTrailEntry };

export const initialPatientState = (): PatientState => ({ status: 'unregistered' });

export function evolvePatient(state: PatientState, event: PatientEvent): PatientState {
  if (event.type === 'PatientRegistered') {
    const { patientId, at, name, dateOfBirth, gender, birthSex, ...contact } = event.data;
    const demographics: Demographics = { name, dateOfBirth, gender, ...(birthSex ? { birthSex } : {}) };
    return {
      status: 'active',
      patient: {
        patientId,
        demographics,
        contact,
        consents: {},
        allergies: [],
        medications: [],
        mergedFrom: [],
        registeredAt: at,
      },
    };
  }
  if (state.status === 'unregistered') return state;
  if (event.type === 'PatientMergedInto') {
    const { survivorPatientId, mergedBy, at } = event.data;
    return {
      status: 'merged',
      patient: state.patient,
      mergedInto: { patientId: survivorPatientId, mergedBy, at },
    };
  }
  return { ...state, patient: evolveRecord(state.patient, event) };
}

function evolveRecord(
  p: Patient,
  event: Exclude<PatientEvent, PatientRegistered | PatientMergedInto>,
): Patient {
  switch (event.type) {
    case 'PatientDemographicsChanged': {
      const { patientId: _id, at: _at, ...demographics } = event.data;
      return { ...p, demographics };
    }
    case 'PatientContactDetailsChanged': {
      const { patientId: _id, at: _at, ...contact } = event.data;
      return { ...p, contact };
    }
    case 'CommunicationConsentGranted':
    case 'CommunicationConsentRevoked': {
      const { channel, source, at } = event.data;
      const granted = event.type === 'CommunicationConsentGranted';
      return { ...p, consents: { ...p.consents, [channel]: { granted, at, source } } };
    }
    case 'AllergyRecorded': {
      const { patientId: _id, at, ...allergy } = event.data;
      return { ...p, allergies: [...p.allergies, { ...allergy, recordedAt: at }] };
    }
    case 'AllergyResolved': {
      const { allergyId, at } = event.data;
      const allergies = p.allergies.map((a) => (a.allergyId === allergyId ? { ...a, resolvedAt: at } : a));
      return { ...p, allergies };
    }
    case 'MedicationRecorded': {
      const { patientId: _id, at, ...medication } = event.data;
      return { ...p, medications: [...p.medications, { ...medication, recordedAt: at }] };
    }
    case 'MedicationStopped': {
      const { medicationId, at } = event.data;
      const medications = p.medications.map((m) =>
        m.medicationId === medicationId ? { ...m, stoppedAt: at } : m,
      );
      return { ...p, medications };
    }
    case 'PatientErased':
      return { ...p, erasedAt: event.data.at };
    case 'PatientMerged': {
      const { duplicatePatientId, mergedBy, at } = event.data;
      return { ...p, mergedFrom: [...p.mergedFrom, { patientId: duplicatePatientId, mergedBy, at }] };
    }
    default: {
      const _exhaustive: never = event;
      return p;
    }
  }
}
