import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import type { IntakeFormTemplateVersion } from '../intake-form-template/intake-form-template.js';
import { checkId } from '../shared/text.js';
import { checkInstant } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import { checkAnswers, normaliseAnswers, type Answers } from './answers.js';
import {
  evolveIntakeForm,
  initialIntakeFormState,
  type IntakeFormEvent,
  type IntakeFormState,
} from './intake-form.js';

/**
 * `template` is the version the Patient was shown, loaded by the handler from the template's
 * stream (see `templateVersion`): the decider validates against it and records only its id and
 * version, which stay resolvable because versions are immutable.
 */
export type SubmitIntakeForm = {
  type: 'SubmitIntakeForm';
  intakeFormId: string;
  patientId: string;
  template: IntakeFormTemplateVersion;
  answers: Answers;
  at: string;
};
export type ReviewIntakeForm = { type: 'ReviewIntakeForm'; reviewedBy: string; at: string };
export type IntakeFormCommand = SubmitIntakeForm | ReviewIntakeForm;

export function decideIntakeForm(command: IntakeFormCommand, state: IntakeFormState): IntakeFormEvent[] {
  const v = new Violations();
  checkInstant(v, command.at);
  switch (command.type) {
    case 'SubmitIntakeForm': {
      if (state.status !== 'not_submitted') {
        throw errors.conflict('INTAKE_FORM_ALREADY_SUBMITTED', 'This intake form was already submitted');
      }
      checkId(v, command.intakeFormId, 'intakeFormId');
      checkId(v, command.patientId, 'patientId');
      checkAnswers(v, command.template, command.answers);
      v.throwIfAny('The intake form answers are invalid');
      const { intakeFormId, patientId, template, at } = command;
      const answers = normaliseAnswers(command.answers);
      return [
        {
          type: 'IntakeFormSubmitted',
          data: {
            intakeFormId,
            patientId,
            templateId: template.templateId,
            templateVersion: template.version,
            answers,
            at,
          },
        },
      ];
    }
    case 'ReviewIntakeForm': {
      if (state.status === 'not_submitted')
        throw errors.notFound('INTAKE_FORM_NOT_FOUND', 'Intake form not found');
      checkId(v, command.reviewedBy, 'reviewedBy');
      v.throwIfAny('The review is invalid');
      if (state.status === 'reviewed') return [];
      const { intakeFormId, patientId } = state.form;
      return [
        {
          type: 'IntakeFormReviewed',
          data: { intakeFormId, patientId, reviewedBy: command.reviewedBy, at: command.at },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The IntakeForm aggregate: one stream per submission. */
export const intakeFormDecider: Decider<IntakeFormCommand, IntakeFormEvent, IntakeFormState> = {
  decide: decideIntakeForm,
  evolve: evolveIntakeForm,
  initialState: initialIntakeFormState,
};
