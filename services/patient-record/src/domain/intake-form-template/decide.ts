import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { sameJson } from '../shared/equality.js';
import { checkId, tidy } from '../shared/text.js';
import { checkInstant } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import {
  evolveIntakeFormTemplate,
  initialIntakeFormTemplateState,
  type IntakeFormTemplateEvent,
  type IntakeFormTemplateState,
} from './intake-form-template.js';
import { checkQuestions, type Question } from './questions.js';

/** Publishes the next version (1, 2, ...); the decider numbers versions so none is skipped or reused. */
export type PublishIntakeFormTemplateVersion = {
  type: 'PublishIntakeFormTemplateVersion';
  templateId: string;
  title: string;
  questions: Question[];
  at: string;
};
export type RetireIntakeFormTemplate = { type: 'RetireIntakeFormTemplate'; at: string };
export type IntakeFormTemplateCommand = PublishIntakeFormTemplateVersion | RetireIntakeFormTemplate;

const tidyQuestion = (q: Question): Question => ({
  ...q,
  text: tidy(q.text),
  ...(q.options !== undefined ? { options: q.options.map((o) => ({ ...o, label: tidy(o.label) })) } : {}),
});

export function decideIntakeFormTemplate(
  command: IntakeFormTemplateCommand,
  state: IntakeFormTemplateState,
): IntakeFormTemplateEvent[] {
  const v = new Violations();
  checkInstant(v, command.at);
  switch (command.type) {
    case 'PublishIntakeFormTemplateVersion': {
      if (state.status === 'retired')
        throw errors.precondition('INTAKE_TEMPLATE_RETIRED', 'The template is retired');
      if (state.status === 'published' && state.templateId !== command.templateId) {
        throw errors.conflict('TEMPLATE_ID_MISMATCH', 'The command names another template');
      }
      checkId(v, command.templateId, 'templateId');
      if (command.title.trim() === '' || command.title.length > 200) {
        v.add('INVALID_INTAKE_TEMPLATE', 'title', 'is required (at most 200 characters)');
      }
      checkQuestions(v, command.questions);
      v.throwIfAny('The intake form template is invalid');
      const title = tidy(command.title);
      const questions = command.questions.map(tidyQuestion);
      const latest = state.status === 'published' ? state.versions.at(-1) : undefined;
      // Publishing the same content again would make two versions nobody can tell apart.
      if (latest !== undefined && latest.title === title && sameJson(latest.questions, questions)) return [];
      const version = (latest?.version ?? 0) + 1;
      const { templateId, at } = command;
      return [
        { type: 'IntakeFormTemplateVersionPublished', data: { templateId, version, title, questions, at } },
      ];
    }
    case 'RetireIntakeFormTemplate':
      v.throwIfAny('The command time is invalid');
      if (state.status === 'unpublished')
        throw errors.notFound('INTAKE_TEMPLATE_NOT_FOUND', 'Template not found');
      if (state.status === 'retired') return [];
      return [{ type: 'IntakeFormTemplateRetired', data: { templateId: state.templateId, at: command.at } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The IntakeFormTemplate aggregate: one stream per template, holding all its versions. */
export const intakeFormTemplateDecider: Decider<
  IntakeFormTemplateCommand,
  IntakeFormTemplateEvent,
  IntakeFormTemplateState
> = {
  decide: decideIntakeFormTemplate,
  evolve: evolveIntakeFormTemplate,
  initialState: initialIntakeFormTemplateState,
};
