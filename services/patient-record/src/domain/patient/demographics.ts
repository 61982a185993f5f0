import { checkInstant, isCalendarDate, utcDateOf, yearsBetween } from '../shared/time.js';
import { tidy } from '../shared/text.js';
import type { Violations } from '../shared/violations.js';

/** FHIR Patient.gender (AdministrativeGender): the gender used for administration. */
export const ADMINISTRATIVE_GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type AdministrativeGender = (typeof ADMINISTRATIVE_GENDERS)[number];

/** US Core birth sex codes (F, M, UNK): clinically relevant to dosing and contraindications. */
export const BIRTH_SEXES = ['F', 'M', 'UNK'] as const;
export type BirthSex = (typeof BIRTH_SEXES)[number];

/** A person's name in parts, as FHIR HumanName; `preferred` is what staff call the Patient. */
export interface PersonName {
  given: string[];
  family: string;
  prefix?: string[];
  suffix?: string[];
  preferred?: string;
}

export interface Demographics {
  name: PersonName;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  gender: AdministrativeGender;
  birthSex?: BirthSex;
}

// Oldest verified human lifespan is 122 years; beyond 130 a date of birth is a typing error.
const MAX_AGE_YEARS = 130;

/** Adds every problem with demographics as of `at` (the command's instant). */
export function checkDemographics(violations: Violations, d: Demographics, at: string): void {
  checkInstant(violations, at);
  checkName(violations, d.name);
  checkDateOfBirth(violations, d.dateOfBirth, at);
  if (!(ADMINISTRATIVE_GENDERS as readonly string[]).includes(d.gender)) {
    violations.add('INVALID_GENDER', 'gender', `must be one of ${ADMINISTRATIVE_GENDERS.join(', ')}`);
  }
  if (d.birthSex !== undefined && !(BIRTH_SEXES as readonly string[]).includes(d.birthSex)) {
    violations.add('INVALID_BIRTH_SEX', 'birthSex', `must be one of ${BIRTH_SEXES.join(', ')}`);
  }
}

function checkName(violations: Violations, name: PersonName): void {
  const parts = [name.family, ...name.given, ...(name.prefix ?? []), ...(name.suffix ?? [])];
  // A family name or a given name is enough: some people have one name only.
  if (name.family.trim() === '' && name.given.every((g) => g.trim() === '')) {
    violations.add('INVALID_NAME', 'name', 'needs a family or a given name');
  }
  if (parts.some((p) => p.length > 100) || (name.preferred?.length ?? 0) > 100) {
    violations.add('INVALID_NAME', 'name', 'parts must be at most 100 characters');
  }
}

function checkDateOfBirth(violations: Violations, dateOfBirth: string, at: string): void {
  const reason = 'INVALID_DATE_OF_BIRTH';
  if (!isCalendarDate(dateOfBirth)) {
    violations.add(reason, 'dateOfBirth', 'must be a real date in the form YYYY-MM-DD');
    return;
  }
  // The UTC day is close enough: a day's error matters only for a newborn, never a spa Patient.
  const today = utcDateOf(at);
  if (dateOfBirth > today) violations.add(reason, 'dateOfBirth', 'must not be in the future');
  else if (yearsBetween(dateOfBirth, today) > MAX_AGE_YEARS) {
    violations.add(reason, 'dateOfBirth', `must be within the last ${MAX_AGE_YEARS} years`);
  }
}

/** Demographics as stored: name parts tidied, empty parts dropped. */
export function normaliseDemographics(d: Demographics): Demographics {
  const parts = (xs: string[] | undefined) => (xs ?? []).map(tidy).filter((x) => x !== '');
  const prefix = parts(d.name.prefix);
  const suffix = parts(d.name.suffix);
  const preferred = d.name.preferred === undefined ? '' : tidy(d.name.preferred);
  return {
    name: {
      given: parts(d.name.given),
      family: tidy(d.name.family),
      ...(prefix.length > 0 ? { prefix } : {}),
      ...(suffix.length > 0 ? { suffix } : {}),
      ...(preferred !== '' ? { preferred } : {}),
    },
    dateOfBirth: d.dateOfBirth,
    gender: d.gender,
    ...(d.birthSex !== undefined ? { birthSex: d.birthSex } : {}),
  };
}
