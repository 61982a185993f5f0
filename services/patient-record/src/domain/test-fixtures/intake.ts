import type { IntakeFormTemplateVersion } from '../intake-form-template/intake-form-template.js';
import type { Question } from '../intake-form-template/questions.js';
import { ids } from './ids.js';

export const questions: Question[] = [
  { questionId: 'pregnant_or_nursing', text: 'Are you pregnant or nursing?', type: 'yes_no', required: true },
  {
    questionId: 'last_treatment',
    text: 'Date of your last neurotoxin treatment',
    type: 'date',
    required: false,
  },
  {
    questionId: 'concerns',
    text: 'Which areas concern you?',
    type: 'multi_choice',
    required: true,
    options: [
      { value: 'forehead', label: 'Forehead lines' },
      { value: 'frown', label: 'Frown lines' },
      { value: 'crow_feet', label: "Crow's feet" },
    ],
  },
  { questionId: 'weight_kg', text: 'Weight (kg)', type: 'number', required: false },
  { questionId: 'other_conditions', text: 'Other medical conditions', type: 'long_text', required: false },
];

export const templateV1: IntakeFormTemplateVersion = {
  templateId: ids.intakeTemplate,
  version: 1,
  title: 'Neurotoxin intake',
  questions,
  publishedAt: ids.at(8, '2025-01-06'),
};
