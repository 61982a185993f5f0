import type {
  ChannelConsent,
  ContactDetails as ProtoContact,
  Demographics as ProtoDemographics,
  PatientRecord,
  PersonName as ProtoName,
  PostalAddress as ProtoAddress,
} from '@medspa/contracts/medspa.patient_record.v1';
import type { PatientView } from '../../app/patient-queries.js';
import type {
  CommunicationChannel,
  ContactDetails,
  Demographics,
  PersonName,
  PostalAddress,
} from '../../domain/index.js';
import { fromProto, toProto } from '../proto-enums.js';
import { optional, required } from './call.js';

export function personNameFromProto(n: ProtoName): PersonName {
  const preferred = optional(n.preferred);
  return {
    given: n.given,
    family: n.family,
    ...(n.prefix.length > 0 ? { prefix: n.prefix } : {}),
    ...(n.suffix.length > 0 ? { suffix: n.suffix } : {}),
    ...(preferred !== undefined ? { preferred } : {}),
  };
}

export function demographicsFromProto(d: ProtoDemographics | undefined): Demographics {
  const given = required(d, 'demographics');
  const birthSex = fromProto.birthSex(given.birthSex);
  return {
    name: personNameFromProto(required(given.name, 'demographics.name')),
    dateOfBirth: given.dateOfBirth,
    gender: fromProto.gender(given.gender),
    ...(birthSex !== undefined ? { birthSex } : {}),
  };
}

function addressFromProto(a: ProtoAddress): PostalAddress {
  const state = optional(a.state);
  const postalCode = optional(a.postalCode);
  return {
    line: a.line,
    city: a.city,
    ...(state !== undefined ? { state } : {}),
    ...(postalCode !== undefined ? { postalCode } : {}),
    country: a.country,
  };
}

export function contactFromProto(c: ProtoContact | undefined): ContactDetails {
  if (c === undefined) return {};
  const phone = optional(c.phone);
  const email = optional(c.email);
  return {
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(c.address !== undefined ? { address: addressFromProto(c.address) } : {}),
  };
}

export const personNameToProto = (n: PersonName): ProtoName => ({
  given: n.given,
  family: n.family,
  prefix: n.prefix ?? [],
  suffix: n.suffix ?? [],
  preferred: n.preferred ?? '',
});

const addressToProto = (a: PostalAddress): ProtoAddress => ({
  line: a.line,
  city: a.city,
  state: a.state ?? '',
  postalCode: a.postalCode ?? '',
  country: a.country,
});

/** The patient as the caller may see them: sections without permission stay empty. */
export function patientRecordToProto(view: PatientView): PatientRecord {
  const { state } = view;
  const p = state.patient;
  const consents = Object.entries(p.consents).map(([channel, c]): ChannelConsent => ({
    channel: toProto.channel(channel as CommunicationChannel),
    granted: c.granted,
    source: toProto.source(c.source),
    changedAt: new Date(c.at),
  }));
  return {
    patientId: p.patientId,
    active: state.status === 'active',
    mergedIntoPatientId: state.status === 'merged' ? state.mergedInto.patientId : '',
    registeredAt: new Date(p.registeredAt),
    demographics: view.demographics
      ? {
          name: personNameToProto(p.demographics.name),
          dateOfBirth: p.demographics.dateOfBirth,
          gender: toProto.gender(p.demographics.gender),
          birthSex: toProto.birthSex(p.demographics.birthSex),
        }
      : undefined,
    address:
      view.demographics && p.contact.address !== undefined ? addressToProto(p.contact.address) : undefined,
    phone: view.contact ? (p.contact.phone ?? '') : '',
    email: view.contact ? (p.contact.email ?? '') : '',
    contactIncluded: view.contact,
    consents: view.contact ? consents : [],
    mergedFrom: p.mergedFrom.map((m) => ({
      patientId: m.patientId,
      mergedBy: m.mergedBy,
      mergedAt: new Date(m.at),
    })),
  };
}
