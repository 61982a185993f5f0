import {
  AllergyCategory,
  AllergyCriticality,
  ConsentPurpose as ProtoPurpose,
  ExamModality,
  ExamOutcome,
  PhotoKind as ProtoPhotoKind,
  QuestionType as ProtoQuestionType,
  ReactionSeverity as ProtoSeverity,
  SignerRole as ProtoSignerRole,
} from '@medspa/contracts/medspa.patient_record.v1';
import type {
  AllergyCategory as DomainCategory,
  AllergyCriticality as DomainCriticality,
  ConsentPurpose,
  GoodFaithExamDetails,
  PhotoKind,
  QuestionType,
  ReactionSeverity,
  SignerRole,
} from '../domain/index.js';

// Proto enums <-> domain codes of the clinical lists, charting extras and documents (the first
// set is in proto-enums.ts). UNSPECIFIED maps to undefined for optional codes, and to '' for
// required ones, which the domain rejects naming the field.

/** Both directions of one enum from one table. */
function codes<D extends string, P extends number>(table: Record<D, P>) {
  const back = new Map<number, D>(Object.entries(table).map(([d, p]) => [p as number, d as D]));
  return {
    toProto: (d: D | undefined): P => (d === undefined ? (0 as P) : table[d]),
    optional: (p: P): D | undefined => back.get(p),
    required: (p: P): D => back.get(p) ?? ('' as D),
  };
}

export const allergyCategory = codes<DomainCategory, AllergyCategory>({
  food: AllergyCategory.ALLERGY_CATEGORY_FOOD,
  medication: AllergyCategory.ALLERGY_CATEGORY_MEDICATION,
  environment: AllergyCategory.ALLERGY_CATEGORY_ENVIRONMENT,
  biologic: AllergyCategory.ALLERGY_CATEGORY_BIOLOGIC,
});
export const allergyCriticality = codes<DomainCriticality, AllergyCriticality>({
  low: AllergyCriticality.ALLERGY_CRITICALITY_LOW,
  high: AllergyCriticality.ALLERGY_CRITICALITY_HIGH,
  'unable-to-assess': AllergyCriticality.ALLERGY_CRITICALITY_UNABLE_TO_ASSESS,
});
export const reactionSeverity = codes<ReactionSeverity, ProtoSeverity>({
  mild: ProtoSeverity.REACTION_SEVERITY_MILD,
  moderate: ProtoSeverity.REACTION_SEVERITY_MODERATE,
  severe: ProtoSeverity.REACTION_SEVERITY_SEVERE,
});
export const photoKind = codes<PhotoKind, ProtoPhotoKind>({
  before: ProtoPhotoKind.PHOTO_KIND_BEFORE,
  after: ProtoPhotoKind.PHOTO_KIND_AFTER,
});
export const examModality = codes<GoodFaithExamDetails['modality'], ExamModality>({
  in_person: ExamModality.EXAM_MODALITY_IN_PERSON,
  telehealth: ExamModality.EXAM_MODALITY_TELEHEALTH,
});
export const examOutcome = codes<GoodFaithExamDetails['outcome'], ExamOutcome>({
  approved: ExamOutcome.EXAM_OUTCOME_APPROVED,
  not_approved: ExamOutcome.EXAM_OUTCOME_NOT_APPROVED,
});
export const consentPurpose = codes<ConsentPurpose, ProtoPurpose>({
  treatment: ProtoPurpose.CONSENT_PURPOSE_TREATMENT,
  privacy: ProtoPurpose.CONSENT_PURPOSE_PRIVACY,
  photography: ProtoPurpose.CONSENT_PURPOSE_PHOTOGRAPHY,
});
export const signerRole = codes<SignerRole, ProtoSignerRole>({
  patient: ProtoSignerRole.SIGNER_ROLE_PATIENT,
  legal_representative: ProtoSignerRole.SIGNER_ROLE_LEGAL_REPRESENTATIVE,
});
export const questionType = codes<QuestionType, ProtoQuestionType>({
  text: ProtoQuestionType.QUESTION_TYPE_TEXT,
  long_text: ProtoQuestionType.QUESTION_TYPE_LONG_TEXT,
  yes_no: ProtoQuestionType.QUESTION_TYPE_YES_NO,
  number: ProtoQuestionType.QUESTION_TYPE_NUMBER,
  date: ProtoQuestionType.QUESTION_TYPE_DATE,
  single_choice: ProtoQuestionType.QUESTION_TYPE_SINGLE_CHOICE,
  multi_choice: ProtoQuestionType.QUESTION_TYPE_MULTI_CHOICE,
});
