import type {
  ConsentDocument as ProtoConsentDocument,
  IntakeAnswer,
  IntakeForm as ProtoIntakeForm,
  IntakeFormTemplate as ProtoTemplate,
  IntakeQuestion,
  SignConsentDocumentRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import type { SignedConsentDocument } from '../../app/consent-documents.js';
import type { SubmittedIntakeForm } from '../../app/intake-forms.js';
import type {
  AnswerValue,
  Answers,
  ConsentTemplateRef,
  IntakeFormTemplateVersion,
  Question,
  Signature,
} from '../../domain/index.js';
import { consentPurpose, questionType, signerRole } from '../proto-codes.js';
import { required } from './call.js';
import { errors } from '@medspa/errors';

export function consentSigningFromProto(r: SignConsentDocumentRequest): {
  template: ConsentTemplateRef;
  signature: Signature;
} {
  const t = required(r.template, 'template');
  const s = required(r.signature, 'signature');
  return {
    template: {
      templateId: t.templateId,
      templateVersion: t.templateVersion,
      title: t.title,
      purpose: consentPurpose.required(t.purpose),
    },
    signature: {
      signerId: s.signerId,
      signerName: s.signerName,
      signerRole: signerRole.required(s.signerRole),
      signatureImageKey: s.signatureImageKey,
      documentSha256: s.documentSha256,
    },
  };
}

export function consentDocumentToProto(state: SignedConsentDocument): ProtoConsentDocument {
  const d = state.document;
  return {
    consentDocumentId: d.consentDocumentId,
    patientId: d.patientId,
    template: {
      templateId: d.templateId,
      templateVersion: d.templateVersion,
      title: d.title,
      purpose: consentPurpose.toProto(d.purpose),
    },
    signature: {
      signerId: d.signerId,
      signerName: d.signerName,
      signerRole: signerRole.toProto(d.signerRole),
      signatureImageKey: d.signatureImageKey,
      documentSha256: d.documentSha256,
    },
    signedAt: new Date(d.signedAt),
    withdrawn: d.withdrawal !== undefined,
    withdrawnBy: d.withdrawal?.withdrawnBy ?? '',
    withdrawalReason: d.withdrawal?.reason ?? '',
    withdrawnAt: d.withdrawal !== undefined ? new Date(d.withdrawal.at) : undefined,
  };
}

export const questionFromProto = (q: IntakeQuestion): Question => ({
  questionId: q.questionId,
  text: q.text,
  type: questionType.required(q.type),
  required: q.required,
  ...(q.options.length > 0 ? { options: q.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
});

export const templateToProto = (t: IntakeFormTemplateVersion, retired: boolean): ProtoTemplate => ({
  templateId: t.templateId,
  version: t.version,
  title: t.title,
  questions: t.questions.map((q) => ({
    questionId: q.questionId,
    text: q.text,
    type: questionType.toProto(q.type),
    required: q.required,
    options: q.options ?? [],
  })),
  publishedAt: new Date(t.publishedAt),
  retired,
});

/** Answers from proto; an answer with no value set is refused naming its question. */
export function answersFromProto(answers: Record<string, IntakeAnswer>): Answers {
  const out: Answers = {};
  for (const [id, a] of Object.entries(answers)) {
    const v = a.value;
    if (v === undefined) {
      throw errors.validation('INVALID_INTAKE_ANSWERS', `answers.${id} has no value`, {
        violations: [{ field: `answers.${id}`, message: 'has no value' }],
      });
    }
    out[id] = v.$case === 'choices' ? v.value.values : v.value;
  }
  return out;
}

function answerToProto(a: AnswerValue): IntakeAnswer {
  if (typeof a === 'string') return { value: { $case: 'text', value: a } };
  if (typeof a === 'boolean') return { value: { $case: 'yesNo', value: a } };
  if (typeof a === 'number') return { value: { $case: 'number', value: a } };
  return { value: { $case: 'choices', value: { values: a } } };
}

export function intakeFormToProto(state: SubmittedIntakeForm): ProtoIntakeForm {
  const f = state.form;
  return {
    intakeFormId: f.intakeFormId,
    patientId: f.patientId,
    templateId: f.templateId,
    templateVersion: f.templateVersion,
    answers: Object.fromEntries(Object.entries(f.answers).map(([id, a]) => [id, answerToProto(a)])),
    submittedAt: new Date(f.submittedAt),
    reviewedBy: f.review?.reviewedBy ?? '',
    reviewedAt: f.review !== undefined ? new Date(f.review.at) : undefined,
  };
}
