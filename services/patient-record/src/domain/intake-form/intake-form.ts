import type { DomainEvent } from '@medspa/eventstore';
import type { PhiFields } from '../shared/phi.js';
import type { Answers } from './answers.js';

type Base = { intakeFormId: string; patientId: string; at: string };

export type IntakeFormSubmitted = DomainEvent<
  'IntakeFormSubmitted',
  Base & { templateId: string; templateVersion: number; answers: Answers }
>;
/** A staff member read the answers before treatment (contraindications, allergies, medications). */
export type IntakeFormReviewed = DomainEvent<'IntakeFormReviewed', Base & { reviewedBy: string }>;

export type IntakeFormEvent = IntakeFormSubmitted | IntakeFormReviewed;

/** Which fields of each IntakeForm event are PHI (see PhiFields). */
export const intakeFormPhiFields: PhiFields<IntakeFormEvent> = {
  IntakeFormSubmitted: ['answers'],
  IntakeFormReviewed: [],
};

/** A Patient's answers to one version of a template. */
export interface IntakeForm {
  intakeFormId: string;
  patientId: string;
  templateId: string;
  templateVersion: number;
  answers: Answers;
  submittedAt: string;
  review?: { reviewedBy: string; at: string };
}

export type IntakeFormState =
  { status: 'not_submitted' } | { status: 'submitted' | 'reviewed'; form: IntakeForm };

export const initialIntakeFormState = (): IntakeFormState => ({ status: 'not_submitted' });

export function evolveIntakeForm(state: IntakeFormState, event: IntakeFormEvent): IntakeFormState {
  switch (event.type) {
    case 'IntakeFormSubmitted': {
      const { at, ...form } = event.data;
      return { status: 'submitted', form: { ...form, submittedAt: at } };
    }
    case 'IntakeFormReviewed':
      if (state.status === 'not_submitted') return state;
      return {
        status: 'reviewed',
        form: { ...state.form, review: { reviewedBy: event.data.reviewedBy, at: event.data.at } },
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
