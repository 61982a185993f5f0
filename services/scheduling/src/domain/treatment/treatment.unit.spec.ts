import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, it } from 'vitest';
import { treatment, type TreatmentCommand } from './decide.js';
import type { TreatmentEvent } from './treatment.js';

const spec = deciderSpec(treatment);
const treatmentId = newId();
const definition = {
  name: 'Neurotoxin – forehead lines',
  durationMinutes: 30,
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  requiredQualification: 'neurotoxin_certified',
  eligibleRoles: ['registered_nurse', 'physician'],
  roomType: 'treatment_room',
  deviceType: null,
  price: { amountMinor: 42_000, currency: 'USD' },
  deposit: { amountMinor: 5_000, currency: 'USD' },
  minimumLeadTimeMinutes: 60,
};
const add: TreatmentCommand = { type: 'AddTreatment', treatmentId, ...definition };
const added: TreatmentEvent = {
  type: 'TreatmentAdded',
  data: { treatmentId, ...definition, eligibleRoles: ['physician', 'registered_nurse'] },
};

describe('treatment menu', () => {
  it('adds a treatment with its duration, buffers, requirements, price and deposit', () => {
    spec.given([]).when(add).then([added]);
    spec.given([added]).when(add).thenThrows('TREATMENT_ALREADY_EXISTS');
  });

  it('refuses inconsistent terms', () => {
    const bad = (patch: Partial<TreatmentCommand>) => spec.given([]).when({ ...add, ...patch });
    bad({ durationMinutes: 0 }).thenThrows('INVALID_DURATION');
    bad({ durationMinutes: 12.5 }).thenThrows('INVALID_DURATION');
    bad({ bufferAfterMinutes: -5 }).thenThrows('INVALID_BUFFER');
    bad({ price: { amountMinor: 420.5, currency: 'USD' } }).thenThrows('INVALID_MONEY');
    bad({ price: { amountMinor: 42_000, currency: 'usd' } }).thenThrows('INVALID_MONEY');
    bad({ deposit: { amountMinor: 5_000, currency: 'EUR' } }).thenThrows('DEPOSIT_CURRENCY_MISMATCH');
    bad({ deposit: { amountMinor: 50_000, currency: 'USD' } }).thenThrows('DEPOSIT_EXCEEDS_PRICE');
    bad({ minimumLeadTimeMinutes: -1 }).thenThrows('INVALID_LEAD_TIME');
  });

  it('revises a treatment only when something changes, and discontinues it', () => {
    const revise: TreatmentCommand = { ...add, type: 'ReviseTreatment', durationMinutes: 45 };
    spec
      .given([added])
      .when(revise)
      .then([{ type: 'TreatmentRevised', data: { ...added.data, durationMinutes: 45 } }]);
    spec
      .given([added])
      .when({ ...add, type: 'ReviseTreatment' })
      .thenNothingHappens();
    const discontinued: TreatmentEvent = { type: 'TreatmentDiscontinued', data: { treatmentId } };
    spec.given([added]).when({ type: 'DiscontinueTreatment', treatmentId }).then([discontinued]);
    spec.given([added, discontinued]).when(revise).thenThrows('TREATMENT_DISCONTINUED');
  });
});
