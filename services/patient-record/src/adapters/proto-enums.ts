import {
  BirthSex,
  CommunicationChannel as ProtoChannel,
  ConsentSource as ProtoSource,
  Gender,
  ProductCategory as ProtoCategory,
  QuantityUnit as ProtoUnit,
} from '@medspa/contracts/medspa.patient_record.v1';
import type {
  AdministrativeGender,
  BirthSex as DomainBirthSex,
  CommunicationChannel,
  ProductCategory,
  QuantityUnit,
  RecordedConsentSource,
} from '../domain/index.js';

// Proto enums <-> domain codes, both ways, in one place. An UNSPECIFIED (or unknown) value maps to
// a code the domain rejects with its own reason, so bad input fails validation, not here.

const invert = <K extends string, V extends number>(m: Record<K, V>): Map<number, K> =>
  new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));

const genders: Record<AdministrativeGender, Gender> = {
  male: Gender.GENDER_MALE,
  female: Gender.GENDER_FEMALE,
  other: Gender.GENDER_OTHER,
  unknown: Gender.GENDER_UNKNOWN,
};
const birthSexes: Record<DomainBirthSex, BirthSex> = {
  F: BirthSex.BIRTH_SEX_FEMALE,
  M: BirthSex.BIRTH_SEX_MALE,
  UNK: BirthSex.BIRTH_SEX_UNKNOWN,
};
const channels: Record<CommunicationChannel, ProtoChannel> = {
  sms_transactional: ProtoChannel.COMMUNICATION_CHANNEL_SMS_TRANSACTIONAL,
  sms_marketing: ProtoChannel.COMMUNICATION_CHANNEL_SMS_MARKETING,
  email: ProtoChannel.COMMUNICATION_CHANNEL_EMAIL,
};
const sources: Record<RecordedConsentSource, ProtoSource> = {
  intake_form: ProtoSource.CONSENT_SOURCE_INTAKE_FORM,
  patient_portal: ProtoSource.CONSENT_SOURCE_PATIENT_PORTAL,
  sms_keyword: ProtoSource.CONSENT_SOURCE_SMS_KEYWORD,
  email_unsubscribe: ProtoSource.CONSENT_SOURCE_EMAIL_UNSUBSCRIBE,
  staff: ProtoSource.CONSENT_SOURCE_STAFF,
  contact_changed: ProtoSource.CONSENT_SOURCE_CONTACT_CHANGED,
};
const categories: Record<ProductCategory, ProtoCategory> = {
  neurotoxin: ProtoCategory.PRODUCT_CATEGORY_NEUROTOXIN,
  filler: ProtoCategory.PRODUCT_CATEGORY_FILLER,
  other: ProtoCategory.PRODUCT_CATEGORY_OTHER,
};
const units: Record<QuantityUnit, ProtoUnit> = {
  U: ProtoUnit.QUANTITY_UNIT_UNITS,
  mL: ProtoUnit.QUANTITY_UNIT_ML,
  syringe: ProtoUnit.QUANTITY_UNIT_SYRINGE,
  vial: ProtoUnit.QUANTITY_UNIT_VIAL,
};

const [genderOf, birthSexOf, channelOf, sourceOf, categoryOf, unitOf] = [
  invert(genders),
  invert(birthSexes),
  invert(channels),
  invert(sources),
  invert(categories),
  invert(units),
];

// `as` casts below: the domain validates these codes and names the field in its error.
export const toProto = {
  gender: (g: AdministrativeGender): Gender => genders[g],
  birthSex: (b: DomainBirthSex | undefined): BirthSex =>
    b === undefined ? BirthSex.BIRTH_SEX_UNSPECIFIED : birthSexes[b],
  channel: (c: CommunicationChannel): ProtoChannel => channels[c],
  source: (s: RecordedConsentSource): ProtoSource => sources[s],
  category: (c: ProductCategory): ProtoCategory => categories[c],
  unit: (u: QuantityUnit): ProtoUnit => units[u],
};

export const fromProto = {
  gender: (g: Gender): AdministrativeGender => genderOf.get(g) ?? ('' as AdministrativeGender),
  birthSex: (b: BirthSex): DomainBirthSex | undefined => birthSexOf.get(b),
  channel: (c: ProtoChannel): CommunicationChannel => channelOf.get(c) ?? ('' as CommunicationChannel),
  source: (s: ProtoSource): RecordedConsentSource => sourceOf.get(s) ?? ('' as RecordedConsentSource),
  category: (c: ProtoCategory): ProductCategory => categoryOf.get(c) ?? ('' as ProductCategory),
  unit: (u: ProtoUnit): QuantityUnit => unitOf.get(u) ?? ('' as QuantityUnit),
};
