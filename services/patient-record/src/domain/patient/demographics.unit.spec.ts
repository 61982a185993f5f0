import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { registered } from '../test-fixtures/patient.js';
import { patientDecider, type RegisterPatient } from './decide.js';

const spec = deciderSpec(patientDecider);
const { patientId, at, ...rest } = registered.data;
const { name, dateOfBirth, gender, birthSex, ...contact } = rest;
const register: RegisterPatient = {
  type: 'RegisterPatient',
  patientId,
  demographics: { name, dateOfBirth, gender, birthSex },
  contact,
  at,
};

describe('Patient: registration and demographics', () => {
  it('registers a patient', () => {
    spec.given([]).when(register).then([registered]);
  });

  it('stores tidy values: trimmed names, lower-case email, upper-case country', () => {
    spec
      .given([])
      .when({
        ...register,
        demographics: {
          ...register.demographics,
          name: { ...name, family: '  Silva ', given: [' Ana ', 'Maria', ''] },
        },
        contact: {
          ...contact,
          email: ' Ana.Silva@Example.COM ',
          address: { ...contact.address!, country: 'us' },
        },
      })
      .then([registered]);
  });

  it('refuses to register twice', () => {
    spec.given([registered]).when(register).thenThrows('PATIENT_ALREADY_REGISTERED');
  });

  it.each([
    ['4155550123', 'no plus'],
    ['+0155550123', 'country code 0'],
    ['+1415555012345678', 'too long'],
    ['+1 415 555 0123', 'spaces'],
  ])('refuses the phone %s (%s) with INVALID_PHONE', (phone) => {
    spec
      .given([])
      .when({ ...register, contact: { ...contact, phone } })
      .thenThrows('INVALID_PHONE');
  });

  it.each(['ana', 'ana@', '@example.com', 'ana@example', 'ana silva@example.com', 'ana..s@example.com'])(
    'refuses the email %s with INVALID_EMAIL',
    (email) => {
      spec
        .given([])
        .when({ ...register, contact: { ...contact, email } })
        .thenThrows('INVALID_EMAIL');
    },
  );

  it.each([
    ['1988-02-30', 'not a real date'],
    ['12/04/1988', 'not ISO'],
    ['2025-06-03', 'in the future'],
    ['1894-01-01', 'more than 130 years ago'],
  ])('refuses the date of birth %s (%s)', (dob) => {
    spec
      .given([])
      .when({ ...register, demographics: { ...register.demographics, dateOfBirth: dob } })
      .thenThrows('INVALID_DATE_OF_BIRTH');
  });

  it('accepts a patient exactly 130 years old', () => {
    spec
      .given([])
      .when({ ...register, demographics: { ...register.demographics, dateOfBirth: '1895-06-02' } })
      .then([{ ...registered, data: { ...registered.data, dateOfBirth: '1895-06-02' } }]);
  });

  it('refuses a gender that is not a FHIR code', () => {
    spec
      .given([])
      .when({ ...register, demographics: { ...register.demographics, gender: 'f' as 'female' } })
      .thenThrows('INVALID_GENDER');
  });

  it('refuses a nameless patient', () => {
    spec
      .given([])
      .when({ ...register, demographics: { ...register.demographics, name: { given: [' '], family: '' } } })
      .thenThrows('INVALID_NAME');
  });

  it('refuses a local time instead of a UTC instant', () => {
    spec
      .given([])
      .when({ ...register, at: '2025-06-02T09:00:00' })
      .thenThrows('INVALID_INSTANT');
  });

  it('changes demographics, and does nothing when they are the same', () => {
    const demographics = { ...register.demographics, name: { ...name, family: 'Silva Costa' } };
    spec
      .given([registered])
      .when({ type: 'ChangeDemographics', demographics, at: ids.at(11) })
      .then([
        {
          type: 'PatientDemographicsChanged',
          data: { patientId, name: demographics.name, dateOfBirth, gender, birthSex, at: ids.at(11) },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'ChangeDemographics', demographics: register.demographics, at: ids.at(11) })
      .thenNothingHappens();
  });

  it('refuses changes to a patient that was never registered', () => {
    spec
      .given([])
      .when({ type: 'ChangeDemographics', demographics: register.demographics, at: ids.at(11) })
      .thenThrows('PATIENT_NOT_FOUND');
  });
});
