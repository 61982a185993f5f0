import type { Money } from '../shared/money.js';

// The clinic's treatment menu (the "service catalogue"): what can be booked, for how long, with
// whom, where, on which device and at what price.

export interface TreatmentDefinition {
  /** Menu name, e.g. "Neurotoxin – forehead lines"; a catalogue label, never patient data. */
  name: string;
  durationMinutes: number;
  /** Setup before and turnover after; held on every resource like the treatment itself. */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** A qualification the provider must hold (`neurotoxin_certified`), or null. */
  requiredQualification: string | null;
  /** Roles any one of which may perform it; empty means any role. */
  eligibleRoles: string[];
  /** The room type it needs, or null when it needs no room of its own. */
  roomType: string | null;
  /** The device type it needs, or null. */
  deviceType: string | null;
  price: Money;
  /** Taken at booking; same currency as the price and not above it. */
  deposit: Money | null;
  /** How long before the start a booking must be made (prep, product ordering). */
  minimumLeadTimeMinutes: number;
}

export type TreatmentProfile = { treatmentId: string } & TreatmentDefinition;

/** What booking and availability need to know of a treatment. */
export type BookingTerms = Pick<
  TreatmentProfile,
  | 'treatmentId'
  | 'durationMinutes'
  | 'bufferBeforeMinutes'
  | 'bufferAfterMinutes'
  | 'requiredQualification'
  | 'eligibleRoles'
  | 'roomType'
  | 'deviceType'
  | 'minimumLeadTimeMinutes'
>;

export type TreatmentEvent =
  | { type: 'TreatmentAdded'; data: TreatmentProfile }
  | { type: 'TreatmentRevised'; data: TreatmentProfile }
  | { type: 'TreatmentDiscontinued'; data: { treatmentId: string } };

export type TreatmentState =
  | { status: 'unknown' }
  | ({ status: 'offered' } & TreatmentProfile)
  | ({ status: 'discontinued' } & TreatmentProfile);

export const initialTreatmentState = (): TreatmentState => ({ status: 'unknown' });

export function evolveTreatment(state: TreatmentState, event: TreatmentEvent): TreatmentState {
  switch (event.type) {
    case 'TreatmentAdded':
      return { status: 'offered', ...event.data };
    case 'TreatmentRevised':
      return state.status === 'unknown' ? state : { ...state, ...event.data };
    case 'TreatmentDiscontinued':
      return state.status === 'unknown' ? state : { ...state, status: 'discontinued' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
