import { describe, expect, it } from 'vitest';
import { foldEvents } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { questions, templateV1 } from '../test-fixtures/intake.js';
import { intakeFormTemplateDecider, type PublishIntakeFormTemplateVersion } from './decide.js';
import { templateVersion, type IntakeFormTemplateEvent } from './intake-form-template.js';

const spec = deciderSpec(intakeFormTemplateDecider);
const publish: PublishIntakeFormTemplateVersion = {
  type: 'PublishIntakeFormTemplateVersion',
  templateId: ids.intakeTemplate,
  title: 'Neurotoxin intake',
  questions,
  at: templateV1.publishedAt,
};
const v1: IntakeFormTemplateEvent = {
  type: 'IntakeFormTemplateVersionPublished',
  data: { templateId: ids.intakeTemplate, version: 1, title: publish.title, questions, at: publish.at },
};

describe('IntakeFormTemplate: versioned questions', () => {
  it('publishes version 1, then numbers the next version itself', () => {
    spec.given([]).when(publish).then([v1]);
    const more = [
      ...questions,
      { questionId: 'smoker', text: 'Do you smoke?', type: 'yes_no', required: false } as const,
    ];
    spec
      .given([v1])
      .when({ ...publish, questions: more, at: ids.at(9) })
      .then([
        {
          type: 'IntakeFormTemplateVersionPublished',
          data: {
            templateId: ids.intakeTemplate,
            version: 2,
            title: publish.title,
            questions: more,
            at: ids.at(9),
          },
        },
      ]);
  });

  it('does not publish an identical version', () => {
    spec.given([v1]).when(publish).thenNothingHappens();
  });

  it('keeps every version resolvable for old submissions', () => {
    const state = foldEvents(intakeFormTemplateDecider, [v1]);
    expect(templateVersion(state, 1)).toEqual(templateV1);
    expect(templateVersion(state, 2)).toBeUndefined();
  });

  it('lists every problem with the questions at once', () => {
    let thrown: unknown;
    try {
      intakeFormTemplateDecider.decide(
        {
          ...publish,
          questions: [
            { questionId: 'Bad Id', text: 'x', type: 'text', required: false },
            {
              questionId: 'colour',
              text: 'Pick',
              type: 'single_choice',
              required: true,
              options: [{ value: 'a', label: 'A' }],
            },
            { questionId: 'colour', text: 'Again', type: 'yes_no', required: true, options: [] },
          ],
        },
        intakeFormTemplateDecider.initialState(),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ reason: 'INVALID_INTAKE_TEMPLATE' });
    expect((thrown as { violations: { field: string }[] }).violations.map((x) => x.field)).toEqual([
      'questions.0.questionId',
      'questions.1.options',
      'questions.2.questionId',
      'questions.2.options',
    ]);
  });

  it('refuses new versions once retired', () => {
    const retired: IntakeFormTemplateEvent = {
      type: 'IntakeFormTemplateRetired',
      data: { templateId: ids.intakeTemplate, at: ids.at(9) },
    };
    spec
      .given([v1])
      .when({ type: 'RetireIntakeFormTemplate', at: ids.at(9) })
      .then([retired]);
    spec.given([v1, retired]).when(publish).thenThrows('INTAKE_TEMPLATE_RETIRED');
  });
});
