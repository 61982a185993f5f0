import type { IntakeFormTemplateVersion } from '../intake-form-template/intake-form-template.js';
import type { Question } from '../intake-form-template/questions.js';
import { isCalendarDate } from '../shared/time.js';
import type { Violations } from '../shared/violations.js';

/** An answer's shape follows its question's type: see `expected` below. */
export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;

const expected: Record<Question['type'], string> = {
  text: 'text (at most 1000 characters)',
  long_text: 'text (at most 10000 characters)',
  yes_no: 'true or false',
  number: 'a number',
  date: 'a date YYYY-MM-DD',
  single_choice: 'one of the options',
  multi_choice: 'a list of distinct options',
};

const isBlank = (a: AnswerValue | undefined) =>
  a === undefined || (typeof a === 'string' && a.trim() === '') || (Array.isArray(a) && a.length === 0);

function fits(q: Question, a: AnswerValue): boolean {
  const options = new Set((q.options ?? []).map((o) => o.value));
  switch (q.type) {
    case 'text':
      return typeof a === 'string' && a.length <= 1000;
    case 'long_text':
      return typeof a === 'string' && a.length <= 10_000;
    case 'yes_no':
      return typeof a === 'boolean';
    case 'number':
      return typeof a === 'number' && Number.isFinite(a);
    case 'date':
      return typeof a === 'string' && isCalendarDate(a);
    case 'single_choice':
      return typeof a === 'string' && options.has(a);
    case 'multi_choice':
      return Array.isArray(a) && new Set(a).size === a.length && a.every((x) => options.has(x));
    default: {
      const _exhaustive: never = q.type;
      return false;
    }
  }
}

/**
 * Adds every problem with answers against the exact template version the Patient saw, under
 * INVALID_INTAKE_ANSWERS: unknown questions, missing required answers, answers of the wrong shape.
 */
export function checkAnswers(v: Violations, template: IntakeFormTemplateVersion, answers: Answers): void {
  const bad = (id: string, message: string) => v.add('INVALID_INTAKE_ANSWERS', `answers.${id}`, message);
  const questions = new Map(template.questions.map((q) => [q.questionId, q]));
  for (const id of Object.keys(answers)) {
    if (!questions.has(id)) bad(id, `is not a question of version ${template.version}`);
  }
  for (const q of template.questions) {
    const a = answers[q.questionId];
    if (isBlank(a)) {
      if (q.required) bad(q.questionId, 'is required');
    } else if (a !== undefined && !fits(q, a)) bad(q.questionId, `must be ${expected[q.type]}`);
  }
}

/** Answers as stored: text trimmed, blank optional answers dropped. */
export function normaliseAnswers(answers: Answers): Answers {
  const out: Answers = {};
  for (const [id, a] of Object.entries(answers)) {
    if (isBlank(a)) continue;
    out[id] = typeof a === 'string' ? a.trim() : a;
  }
  return out;
}
