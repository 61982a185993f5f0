import * as pr from '@medspa/contracts/medspa.patient_record.v1';
import { z } from 'zod';
import { Id, protoEnum } from './common.js';

// Allergies, medications, photos, the good-faith exam, consent documents and intake forms
// (patient-record). The limits are the service's own (its domain checks), never tighter: the edge
// only turns what the service would refuse anyway into a 400 before the call.

/** Free text the service requires non-blank (it trims), capped at `max` characters where it caps it. */
const Required = (max?: number) =>
  (max === undefined ? z.string() : z.string().max(max)).refine((t) => t.trim() !== '', 'is required');

/** What the clinic typed, optionally coded (absolute system URI and a code without spaces). */
const CodedText = z.object({
  text: Required(500),
  coding: z
    .array(
      z.object({
        system: z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'expected an absolute URI'),
        code: z
          .string()
          .refine((c) => c.trim() !== '' && !/\s/.test(c.trim()), 'expected a code without spaces'),
        display: z.string().optional(),
      }),
    )
    .optional(),
});

// --- patients: merge -------------------------------------------------------------------------

export const MergePatientsBody = z
  .object({ survivorPatientId: Id, duplicatePatientId: Id })
  .refine((b) => b.survivorPatientId !== b.duplicatePatientId, {
    message: 'a record cannot be merged into itself',
    path: ['duplicatePatientId'],
  });

// --- allergies and medications ---------------------------------------------------------------

export const AllergyParams = z.object({ patientId: Id, allergyId: Id });
export const MedicationParams = z.object({ patientId: Id, medicationId: Id });

export const RecordAllergyBody = z.object({
  substance: CodedText,
  // Optional: the service reads UNSPECIFIED (proto3's default) as not given.
  category: protoEnum(pr.AllergyCategory).optional(),
  criticality: protoEnum(pr.AllergyCriticality).optional(),
  reactions: z
    .array(
      z.object({
        manifestation: Required(200),
        severity: protoEnum(pr.ReactionSeverity).optional(),
      }),
    )
    .optional(),
});
export const RecordMedicationBody = z.object({
  medication: CodedText,
  dosage: z.string().max(200).optional(),
  // The service also refuses a day in the future (it knows the clinic's today).
  startedOn: z
    .union([
      z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD'),
      z.iso.date(),
      z.literal(''),
    ])
    .optional(),
});

const CodedTextOut = z
  .object({
    text: z.string(),
    coding: z.array(z.object({ system: z.string(), code: z.string(), display: z.string() }).partial()),
  })
  .partial();
export const ClinicalListsReply = z
  .object({
    allergies: z.array(
      z
        .object({
          allergyId: z.string(),
          substance: CodedTextOut,
          category: protoEnum(pr.AllergyCategory),
          criticality: protoEnum(pr.AllergyCriticality),
          reactions: z.array(
            z.object({ manifestation: z.string(), severity: protoEnum(pr.ReactionSeverity) }).partial(),
          ),
          recordedAt: z.string(),
          resolvedAt: z.string(),
        })
        .partial(),
    ),
    medications: z.array(
      z
        .object({
          medicationId: z.string(),
          medication: CodedTextOut,
          dosage: z.string(),
          startedOn: z.string(),
          recordedAt: z.string(),
          stoppedAt: z.string(),
        })
        .partial(),
    ),
  })
  .partial();
export const AllergyCreated = z.object({ allergyId: z.string() }).partial();
export const MedicationCreated = z.object({ medicationId: z.string() }).partial();

// --- charting: photos, the good-faith exam, injection sites ----------------------------------

/** Characters S3 and GCS call safe in a key (no `:`, so no URL or `data:` payload), no `..`. */
const ObjectKey = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*$/, 'expected an object key such as photos/<id>.jpg')
  .refine((k) => !k.split('/').some((s) => s === '..' || s === ''), 'expected an object key');

export const AttachPhotoBody = z.object({
  kind: protoEnum(pr.PhotoKind, { input: true }),
  objectKey: ObjectKey,
  contentType: z.enum(['image/jpeg', 'image/png', 'image/heic', 'image/webp']),
});
export const GoodFaithExamBody = z.object({
  exam: z
    .object({
      examinerId: Id,
      examinerName: Required(200),
      examinerCredentials: Required(50),
      modality: protoEnum(pr.ExamModality, { input: true }),
      findings: Required(10_000),
      outcome: protoEnum(pr.ExamOutcome, { input: true }),
      approvedTreatments: z.array(z.string()).optional(),
    })
    .refine(
      (e) =>
        e.outcome === 'EXAM_OUTCOME_APPROVED'
          ? (e.approvedTreatments ?? []).some((t) => t.trim() !== '')
          : (e.approvedTreatments ?? []).length === 0,
      {
        message: 'name what was approved (and nothing when not approved)',
        path: ['approvedTreatments'],
      },
    ),
});
/** What an encounter shows of its photos and its exam (schemas/patients.ts's Encounter). */
export const PhotoOut = z
  .object({
    photoId: z.string(),
    kind: protoEnum(pr.PhotoKind),
    objectKey: z.string(),
    contentType: z.string(),
    attachedAt: z.string(),
  })
  .partial();
export const GoodFaithExamOut = z
  .object({
    examId: z.string(),
    examinerId: z.string(),
    examinerName: z.string(),
    examinerCredentials: z.string(),
    modality: protoEnum(pr.ExamModality),
    findings: z.string(),
    outcome: protoEnum(pr.ExamOutcome),
    approvedTreatments: z.array(z.string()),
    recordedAt: z.string(),
  })
  .partial();
export const PhotoCreated = z.object({ photoId: z.string() }).partial();
export const ExamCreated = z.object({ examId: z.string() }).partial();
export const InjectionSitesReply = z
  .object({
    sites: z.array(z.object({ code: z.string(), display: z.string(), region: z.string() }).partial()),
  })
  .partial();

// --- consent documents -----------------------------------------------------------------------

export const ConsentDocumentParams = z.object({ consentDocumentId: Id });
export const SignConsentDocumentBody = z.object({
  template: z.object({
    templateId: Id,
    templateVersion: z.number().int().min(1).max(2_147_483_647),
    title: Required(200),
    purpose: protoEnum(pr.ConsentPurpose, { input: true }),
  }),
  signature: z.object({
    signerId: Id,
    signerName: Required(200),
    signerRole: protoEnum(pr.SignerRole, { input: true }),
    signatureImageKey: ObjectKey,
    documentSha256: z.string().regex(/^[0-9a-f]{64}$/i, 'expected a SHA-256 as 64 hexadecimal digits'),
  }),
});
export const WithdrawConsentDocumentBody = z.object({ reason: z.string().max(1000).optional() });

const TemplateRefOut = z
  .object({
    templateId: z.string(),
    templateVersion: z.number(),
    title: z.string(),
    purpose: protoEnum(pr.ConsentPurpose),
  })
  .partial();
const SignatureOut = z
  .object({
    signerId: z.string(),
    signerName: z.string(),
    signerRole: protoEnum(pr.SignerRole),
    signatureImageKey: z.string(),
    documentSha256: z.string(),
  })
  .partial();
export const ConsentDocumentsReply = z
  .object({
    documents: z.array(
      z
        .object({
          consentDocumentId: z.string(),
          patientId: z.string(),
          template: TemplateRefOut,
          signature: SignatureOut,
          signedAt: z.string(),
          withdrawn: z.boolean(),
          withdrawnBy: z.string(),
          withdrawalReason: z.string(),
          withdrawnAt: z.string(),
        })
        .partial(),
    ),
  })
  .partial();
export const ConsentDocumentCreated = z.object({ consentDocumentId: z.string() }).partial();

// --- intake form templates and intake forms --------------------------------------------------

const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a lower-case slug such as pregnant_or_nursing');
export const TemplateParams = z.object({ templateId: Id });
export const TemplateQuery = z.object({
  /** 0 or absent: the latest version. */
  version: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
});
export const PublishTemplateBody = z.object({
  /** Absent or empty for a new template; a template's id to publish its next version. */
  templateId: z.union([Id, z.literal('')]).optional(),
  title: Required(200),
  questions: z
    .array(
      z.object({
        questionId: Slug,
        text: Required(1000),
        type: protoEnum(pr.QuestionType, { input: true }),
        required: z.boolean().optional(),
        options: z
          .array(
            z.object({
              value: z.string().regex(/^[a-z0-9_]{1,64}$/, 'expected a lower-case slug'),
              label: Required(),
            }),
          )
          .optional(),
      }),
    )
    .min(1)
    .max(200),
});
export const TemplatePublished = z.object({ templateId: z.string(), version: z.number() }).partial();
export const TemplateReply = z
  .object({
    template: z
      .object({
        templateId: z.string(),
        version: z.number(),
        title: z.string(),
        questions: z.array(
          z
            .object({
              questionId: z.string(),
              text: z.string(),
              type: protoEnum(pr.QuestionType),
              required: z.boolean(),
              options: z.array(z.object({ value: z.string(), label: z.string() }).partial()),
            })
            .partial(),
        ),
        publishedAt: z.string(),
        retired: z.boolean(),
      })
      .partial(),
  })
  .partial();

/** One answer, shaped by its question's type: exactly one of text, yesNo, number, choices. */
const IntakeAnswer = z.union([
  z.object({ text: z.string().max(10_000) }),
  z.object({ yesNo: z.boolean() }),
  z.object({ number: z.number() }),
  z.object({ choices: z.object({ values: z.array(z.string().max(64)) }) }),
]);
export const IntakeFormParams = z.object({ intakeFormId: Id });
export const SubmitIntakeFormBody = z.object({
  patientId: Id,
  templateId: Id,
  templateVersion: z.number().int().min(1).max(2_147_483_647),
  answers: z
    .record(z.string().max(64), IntakeAnswer)
    .refine((a) => Object.keys(a).length <= 200, 'at most 200 answers'),
});
const AnswerOut = z
  .object({
    text: z.string(),
    yesNo: z.boolean(),
    number: z.number(),
    choices: z.object({ values: z.array(z.string()) }).partial(),
  })
  .partial();
const IntakeFormOut = z
  .object({
    intakeFormId: z.string(),
    patientId: z.string(),
    templateId: z.string(),
    templateVersion: z.number(),
    answers: z.record(z.string(), AnswerOut),
    submittedAt: z.string(),
    reviewedBy: z.string(),
    reviewedAt: z.string(),
  })
  .partial();
export const IntakeFormReply = z.object({ form: IntakeFormOut }).partial();
export const IntakeFormsReply = z.object({ forms: z.array(IntakeFormOut) }).partial();
export const IntakeFormCreated = z.object({ intakeFormId: z.string() }).partial();
