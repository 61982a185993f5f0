import type {
  Allergy as ProtoAllergy,
  CodedText as ProtoCodedText,
  GoodFaithExam as ProtoExam,
  Medication as ProtoMedication,
  Photo as ProtoPhoto,
  RecordAllergyRequest,
  RecordMedicationRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import type {
  Allergy,
  AllergyDetails,
  CodedText,
  GoodFaithExam,
  GoodFaithExamDetails,
  Medication,
  MedicationDetails,
  Photo,
} from '../../domain/index.js';
import {
  allergyCategory,
  allergyCriticality,
  examModality,
  examOutcome,
  photoKind,
  reactionSeverity,
} from '../proto-codes.js';
import { optional, required } from './call.js';

const instant = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

export function codedTextFromProto(c: ProtoCodedText | undefined, field: string): CodedText {
  const given = required(c, field);
  return {
    text: given.text,
    ...(given.coding.length > 0
      ? {
          coding: given.coding.map((x) => ({
            system: x.system,
            code: x.code,
            ...(x.display !== '' ? { display: x.display } : {}),
          })),
        }
      : {}),
  };
}

const codedTextToProto = (c: CodedText): ProtoCodedText => ({
  text: c.text,
  coding: (c.coding ?? []).map((x) => ({ system: x.system, code: x.code, display: x.display ?? '' })),
});

export function allergyFromProto(r: RecordAllergyRequest): AllergyDetails {
  const category = allergyCategory.optional(r.category);
  const criticality = allergyCriticality.optional(r.criticality);
  return {
    substance: codedTextFromProto(r.substance, 'substance'),
    ...(category !== undefined ? { category } : {}),
    ...(criticality !== undefined ? { criticality } : {}),
    reactions: r.reactions.map((x) => {
      const severity = reactionSeverity.optional(x.severity);
      return { manifestation: x.manifestation, ...(severity !== undefined ? { severity } : {}) };
    }),
  };
}

export function medicationFromProto(r: RecordMedicationRequest): MedicationDetails {
  const dosage = optional(r.dosage);
  const startedOn = optional(r.startedOn);
  return {
    medication: codedTextFromProto(r.medication, 'medication'),
    ...(dosage !== undefined ? { dosage } : {}),
    ...(startedOn !== undefined ? { startedOn } : {}),
  };
}

export const allergyToProto = (a: Allergy): ProtoAllergy => ({
  allergyId: a.allergyId,
  substance: codedTextToProto(a.substance),
  category: allergyCategory.toProto(a.category),
  criticality: allergyCriticality.toProto(a.criticality),
  reactions: a.reactions.map((x) => ({
    manifestation: x.manifestation,
    severity: reactionSeverity.toProto(x.severity),
  })),
  recordedAt: new Date(a.recordedAt),
  resolvedAt: instant(a.resolvedAt),
});

export const medicationToProto = (m: Medication): ProtoMedication => ({
  medicationId: m.medicationId,
  medication: codedTextToProto(m.medication),
  dosage: m.dosage ?? '',
  startedOn: m.startedOn ?? '',
  recordedAt: new Date(m.recordedAt),
  stoppedAt: instant(m.stoppedAt),
});

export function examFromProto(e: ProtoExam | undefined): GoodFaithExamDetails {
  const exam = required(e, 'exam');
  return {
    examinerId: exam.examinerId,
    examinerName: exam.examinerName,
    examinerCredentials: exam.examinerCredentials,
    modality: examModality.required(exam.modality),
    findings: exam.findings,
    outcome: examOutcome.required(exam.outcome),
    approvedTreatments: exam.approvedTreatments,
  };
}

export const examToProto = (e: GoodFaithExam): ProtoExam => ({
  examId: e.examId,
  examinerId: e.examinerId,
  examinerName: e.examinerName,
  examinerCredentials: e.examinerCredentials,
  modality: examModality.toProto(e.modality),
  findings: e.findings,
  outcome: examOutcome.toProto(e.outcome),
  approvedTreatments: e.approvedTreatments,
  recordedAt: new Date(e.at),
});

export const photoToProto = (p: Photo): ProtoPhoto => ({
  photoId: p.photoId,
  kind: photoKind.toProto(p.kind),
  objectKey: p.objectKey,
  contentType: p.contentType,
  attachedAt: new Date(p.at),
});
