import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { templateV1 } from '../test-fixtures/intake.js';
import type { Answers } from './answers.js';
import { intakeFormDecider, type SubmitIntakeForm } from './decide.js';
import type { IntakeFormEvent } from './intake-form.js';

const spec = deciderSpec(intakeFormDecider);
const answers: Answers = { pregnant_or_nursing: false, concerns: ['frown', 'forehead'], weight_kg: 61.5 };
const submit: SubmitIntakeForm = {
  type: 'SubmitIntakeForm',
  intakeFormId: ids.intakeForm,
  patientId: ids.patient,
  template: templateV1,
  answers,
  at: ids.at(8),
};
const submitted: IntakeFormEvent = {
  type: 'IntakeFormSubmitted',
  data: {
    intakeFormId: ids.intakeForm,
    patientId: ids.patient,
    templateId: ids.intakeTemplate,
    templateVersion: 1,
    answers,
    at: ids.at(8),
  },
};

function violationsOf(command: SubmitIntakeForm): string[] {
  try {
    intakeFormDecider.decide(command, intakeFormDecider.initialState());
  } catch (e) {
    expect(e).toMatchObject({ reason: 'INVALID_INTAKE_ANSWERS' });
    return (e as { violations: { field: string; message: string }[] }).violations.map(
      (v) => `${v.field}: ${v.message}`,
    );
  }
  return [];
}

describe('IntakeForm: answers validated against the template version', () => {
  it('records the answers with the template id and version', () => {
    spec.given([]).when(submit).then([submitted]);
  });

  it('drops blank optional answers and trims text', () => {
    spec
      .given([])
      .when({ ...submit, answers: { ...answers, other_conditions: '   ', last_treatment: '' } })
      .then([submitted]);
  });

  it('lists every wrong answer at once, naming the question and never the value', () => {
    const wrong = violationsOf({
      ...submit,
      answers: { pregnant_or_nursing: 'no', concerns: ['chin'], last_treatment: '2025-02-30', smoker: true },
    });
    expect(wrong).toEqual([
      'answers.smoker: is not a question of version 1',
      'answers.pregnant_or_nursing: must be true or false',
      'answers.last_treatment: must be a date YYYY-MM-DD',
      'answers.concerns: must be a list of distinct options',
    ]);
  });

  it('requires the required questions', () => {
    expect(violationsOf({ ...submit, answers: { concerns: [] } })).toEqual([
      'answers.pregnant_or_nursing: is required',
      'answers.concerns: is required',
    ]);
  });

  it('is submitted once and reviewed once', () => {
    spec.given([submitted]).when(submit).thenThrows('INTAKE_FORM_ALREADY_SUBMITTED');
    const reviewed: IntakeFormEvent = {
      type: 'IntakeFormReviewed',
      data: { intakeFormId: ids.intakeForm, patientId: ids.patient, reviewedBy: ids.provider, at: ids.at(9) },
    };
    spec
      .given([submitted])
      .when({ type: 'ReviewIntakeForm', reviewedBy: ids.provider, at: ids.at(9) })
      .then([reviewed]);
    spec
      .given([submitted, reviewed])
      .when({ type: 'ReviewIntakeForm', reviewedBy: ids.provider, at: ids.at(9) })
      .thenNothingHappens();
  });
});
