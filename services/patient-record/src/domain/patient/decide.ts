import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { sameJson } from '../shared/equality.js';
import { checkId } from '../shared/text.js';
import { checkInstant } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import {
  decideClinicalList,
  type RecordAllergy,
  type RecordMedication,
  type ResolveAllergy,
  type StopMedication,
} from './clinical-list-decisions.js';
import type { CommunicationChannel, ConsentSource } from './communication-consent.js';
import {
  checkChannelAndSource,
  grant,
  revoke,
  revokeForChangedContact,
  smsKeyword,
} from './consent-decisions.js';
import { checkContact, normaliseContact, type ContactDetails } from './contact.js';
import { checkDemographics, normaliseDemographics, type Demographics } from './demographics.js';
import { decideMerge, type MarkPatientMergedInto, type MergePatient } from './merge.js';
import { evolvePatient, initialPatientState, type PatientEvent, type PatientState } from './patient.js';

export type RegisterPatient = {
  type: 'RegisterPatient';
  patientId: string;
  demographics: Demographics;
  contact: ContactDetails;
  at: string;
};
export type ChangeDemographics = { type: 'ChangeDemographics'; demographics: Demographics; at: string };
export type ChangeContactDetails = { type: 'ChangeContactDetails'; contact: ContactDetails; at: string };
type ConsentChange = { channel: CommunicationChannel; source: ConsentSource; at: string };
export type GrantCommunicationConsent = { type: 'GrantCommunicationConsent' } & ConsentChange;
export type RevokeCommunicationConsent = { type: 'RevokeCommunicationConsent' } & ConsentChange;
/** An opt-out or opt-in keyword texted by the Patient, already mapped from its synonyms. */
export type ReceiveSmsKeyword = { type: 'ReceiveSmsKeyword'; keyword: 'STOP' | 'START'; at: string };
export type { RecordAllergy, RecordMedication, ResolveAllergy, StopMedication };
export type { MarkPatientMergedInto, MergePatient };
export type ErasePatient = { type: 'ErasePatient'; erasedBy: string; at: string };

export type PatientCommand =
  | RegisterPatient
  | ChangeDemographics
  | ChangeContactDetails
  | GrantCommunicationConsent
  | RevokeCommunicationConsent
  | ReceiveSmsKeyword
  | RecordAllergy
  | ResolveAllergy
  | RecordMedication
  | StopMedication
  | MergePatient
  | MarkPatientMergedInto
  | ErasePatient;

export function decidePatient(command: PatientCommand, state: PatientState): PatientEvent[] {
  const v = new Violations();
  checkInstant(v, command.at);
  v.throwIfAny('The command time is invalid');
  if (command.type === 'RegisterPatient') return register(command, state);
  if (state.status === 'unregistered') throw errors.notFound('PATIENT_NOT_FOUND', 'Patient not found');
  if (command.type === 'ErasePatient') return erase(command, state);
  if (state.patient.erasedAt !== undefined) {
    throw errors.precondition('PATIENT_ERASED', 'This record was erased');
  }
  if (command.type === 'MergePatient' || command.type === 'MarkPatientMergedInto') {
    return decideMerge(command, state);
  }
  if (state.status === 'merged') {
    throw errors.precondition(
      'PATIENT_MERGED',
      'This record was merged; change the surviving record instead',
    );
  }
  const p = state.patient;
  const { at } = command;
  switch (command.type) {
    case 'ChangeDemographics': {
      checkDemographics(v, command.demographics, at);
      v.throwIfAny("The patient's details are invalid");
      const demographics = normaliseDemographics(command.demographics);
      if (sameJson(demographics, p.demographics)) return [];
      return [{ type: 'PatientDemographicsChanged', data: { patientId: p.patientId, ...demographics, at } }];
    }
    case 'ChangeContactDetails': {
      const contact = normaliseContact(command.contact);
      checkContact(v, contact);
      v.throwIfAny("The patient's contact details are invalid");
      if (sameJson(contact, p.contact)) return [];
      return [
        { type: 'PatientContactDetailsChanged', data: { patientId: p.patientId, ...contact, at } },
        ...revokeForChangedContact(p, contact, at),
      ];
    }
    case 'GrantCommunicationConsent':
      checkChannelAndSource(command.channel, command.source);
      return grant(p, command.channel, command.source, at);
    case 'RevokeCommunicationConsent':
      checkChannelAndSource(command.channel, command.source);
      return revoke(p, command.channel, command.source, at);
    case 'ReceiveSmsKeyword':
      return smsKeyword(p, command.keyword, at);
    case 'RecordAllergy':
    case 'ResolveAllergy':
    case 'RecordMedication':
    case 'StopMedication':
      return decideClinicalList(command, p);
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function erase(command: ErasePatient, state: Exclude<PatientState, { status: 'unregistered' }>) {
  const v = new Violations();
  checkId(v, command.erasedBy, 'erasedBy');
  v.throwIfAny('The erasure is invalid');
  // Idempotent: a retry after the keys were destroyed must not record a second erasure.
  if (state.patient.erasedAt !== undefined) return [];
  const { patientId } = state.patient;
  return [
    { type: 'PatientErased' as const, data: { patientId, erasedBy: command.erasedBy, at: command.at } },
  ];
}

function register(command: RegisterPatient, state: PatientState): PatientEvent[] {
  if (state.status !== 'unregistered') {
    throw errors.conflict('PATIENT_ALREADY_REGISTERED', 'This patient is already registered');
  }
  const v = new Violations();
  const contact = normaliseContact(command.contact);
  checkId(v, command.patientId, 'patientId');
  checkDemographics(v, command.demographics, command.at);
  checkContact(v, contact);
  v.throwIfAny("The patient's details are invalid");
  const { patientId, at } = command;
  return [
    {
      type: 'PatientRegistered',
      data: { patientId, ...normaliseDemographics(command.demographics), ...contact, at },
    },
  ];
}

/** The Patient aggregate: one stream per person, `patient-<patientId>`. */
export const patientDecider: Decider<PatientCommand, PatientEvent, PatientState> = {
  decide: decidePatient,
  evolve: evolvePatient,
  initialState: initialPatientState,
};
