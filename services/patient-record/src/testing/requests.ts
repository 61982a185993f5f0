import {
  Gender,
  ProductCategory,
  QuantityUnit,
  type OpenEncounterRequest,
  type RecordProductUseRequest,
  type RegisterPatientRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import { randomUUID } from 'node:crypto';
import type { CanaryPatient } from '@medspa/testing';

/** A registration carrying every canary value the request can hold. */
export function registration(c: CanaryPatient): RegisterPatientRequest {
  return {
    demographics: {
      name: { given: [c.givenName], family: c.familyName, prefix: [], suffix: [], preferred: '' },
      dateOfBirth: c.dateOfBirth,
      gender: Gender.GENDER_FEMALE,
      birthSex: 0,
    },
    contact: {
      phone: c.phone,
      email: c.email,
      address: {
        line: [c.address.split(',')[0] ?? ''],
        city: 'Springfield',
        state: 'IL',
        postalCode: '62704',
        country: 'US',
      },
    },
  };
}

export const opening = (patientId: string): OpenEncounterRequest => ({
  patientId,
  providerId: '',
  locationId: randomUUID(),
  timeZone: 'America/Chicago',
  appointmentId: '',
  serviceName: 'Neurotoxin, upper face',
});

/** Botox in the glabella, with a lot number (override to break it). */
export const neurotoxinUse = (
  encounterId: string,
  over: Partial<RecordProductUseRequest> = {},
): RecordProductUseRequest => ({
  encounterId,
  product: {
    name: 'Botox Cosmetic',
    category: ProductCategory.PRODUCT_CATEGORY_NEUROTOXIN,
    manufacturer: 'Allergan',
  },
  lotNumber: 'C7294AC4',
  expiresOn: '2099-12',
  quantity: { value: 20, unit: QuantityUnit.QUANTITY_UNIT_UNITS },
  injections: [
    { site: 'glabella', amount: 12, point: undefined },
    { site: 'forehead', amount: 8, point: undefined },
  ],
  ...over,
});
