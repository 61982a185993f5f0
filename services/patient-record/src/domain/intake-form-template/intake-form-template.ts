import type { DomainEvent } from '@medspa/eventstore';
import type { PhiFields } from '../shared/phi.js';
import type { Question } from './questions.js';

/** One published version of a template: immutable, so submitted answers always have their questions. */
export interface IntakeFormTemplateVersion {
  templateId: string;
  version: number;
  title: string;
  questions: Question[];
  publishedAt: string;
}

type Base = { templateId: string; at: string };

export type IntakeFormTemplateVersionPublished = DomainEvent<
  'IntakeFormTemplateVersionPublished',
  Base & { version: number; title: string; questions: Question[] }
>;
/** No new submissions against any version; old submissions keep their questions. */
export type IntakeFormTemplateRetired = DomainEvent<'IntakeFormTemplateRetired', Base>;

export type IntakeFormTemplateEvent = IntakeFormTemplateVersionPublished | IntakeFormTemplateRetired;

/** Templates are the clinic's questions, not anyone's answers: no PHI. */
export const intakeFormTemplatePhiFields: PhiFields<IntakeFormTemplateEvent> = {
  IntakeFormTemplateVersionPublished: [],
  IntakeFormTemplateRetired: [],
};

export type IntakeFormTemplateState =
  | { status: 'unpublished' }
  | { status: 'published' | 'retired'; templateId: string; versions: IntakeFormTemplateVersion[] };

export const initialIntakeFormTemplateState = (): IntakeFormTemplateState => ({ status: 'unpublished' });

export function evolveIntakeFormTemplate(
  state: IntakeFormTemplateState,
  event: IntakeFormTemplateEvent,
): IntakeFormTemplateState {
  switch (event.type) {
    case 'IntakeFormTemplateVersionPublished': {
      const { templateId, version, title, questions, at } = event.data;
      const versions = state.status === 'unpublished' ? [] : state.versions;
      return {
        status: 'published',
        templateId,
        versions: [...versions, { templateId, version, title, questions, publishedAt: at }],
      };
    }
    case 'IntakeFormTemplateRetired':
      return state.status === 'unpublished' ? state : { ...state, status: 'retired' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/** A published version, for the handler that submits answers against it. */
export function templateVersion(
  state: IntakeFormTemplateState,
  version: number,
): IntakeFormTemplateVersion | undefined {
  return state.status === 'unpublished' ? undefined : state.versions.find((v) => v.version === version);
}
