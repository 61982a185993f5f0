import type { Violations } from '../shared/violations.js';

/** The kinds of question a template may ask, each with one shape of answer. */
export const QUESTION_TYPES = [
  'text',
  'long_text',
  'yes_no',
  'number',
  'date',
  'single_choice',
  'multi_choice',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface ChoiceOption {
  /** Stable value stored in answers; the label may be reworded in a later version. */
  value: string;
  label: string;
}

export interface Question {
  /** Stable across versions (`pregnant_or_nursing`), so answers can be compared over time. */
  questionId: string;
  text: string;
  type: QuestionType;
  required: boolean;
  /** Only for single_choice and multi_choice. */
  options?: ChoiceOption[];
}

const SLUG = /^[a-z][a-z0-9_]{0,63}$/;
export const isChoice = (type: QuestionType): boolean => type === 'single_choice' || type === 'multi_choice';

/** Adds every problem with a template's questions under INVALID_INTAKE_TEMPLATE. */
export function checkQuestions(v: Violations, questions: Question[]): void {
  const bad = (field: string, message: string) => v.add('INVALID_INTAKE_TEMPLATE', field, message);
  if (questions.length === 0 || questions.length > 200) bad('questions', 'must have 1 to 200 questions');
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const at = `questions.${i}`;
    if (!SLUG.test(q.questionId))
      bad(`${at}.questionId`, 'must be a lower-case slug such as pregnant_or_nursing');
    else if (seen.has(q.questionId)) bad(`${at}.questionId`, 'is used by an earlier question');
    seen.add(q.questionId);
    if (q.text.trim() === '' || q.text.length > 1000)
      bad(`${at}.text`, 'is required (at most 1000 characters)');
    if (!QUESTION_TYPES.includes(q.type)) bad(`${at}.type`, `must be one of ${QUESTION_TYPES.join(', ')}`);
    else if (isChoice(q.type)) checkOptions(bad, at, q.options ?? []);
    else if (q.options !== undefined) bad(`${at}.options`, 'are only for choice questions');
  });
}

function checkOptions(
  bad: (field: string, message: string) => void,
  at: string,
  options: ChoiceOption[],
): void {
  if (options.length < 2) bad(`${at}.options`, 'a choice needs at least two options');
  const values = new Set<string>();
  options.forEach((o, j) => {
    if (!/^[a-z0-9_]{1,64}$/.test(o.value) || values.has(o.value)) {
      bad(`${at}.options.${j}.value`, 'must be a unique lower-case slug');
    }
    values.add(o.value);
    if (o.label.trim() === '') bad(`${at}.options.${j}.label`, 'is required');
  });
}
