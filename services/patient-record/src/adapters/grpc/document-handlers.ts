import type { PatientRecordServiceService } from '@medspa/contracts/medspa.patient_record.v1';
import type { ServiceHandlers } from '@medspa/grpc';
import {
  listConsentDocuments,
  signConsentDocument,
  withdrawConsentDocument,
} from '../../app/consent-documents.js';
import type { AppDeps } from '../../app/deps.js';
import {
  getIntakeForm,
  getIntakeFormTemplate,
  listIntakeForms,
  publishIntakeFormTemplate,
  retireIntakeFormTemplate,
  reviewIntakeForm,
  submitIntakeForm,
} from '../../app/intake-forms.js';
import { optional, requestContextOf } from './call.js';
import {
  answersFromProto,
  consentDocumentToProto,
  consentSigningFromProto,
  intakeFormToProto,
  questionFromProto,
  templateToProto,
} from './document-mapping.js';

type Service = typeof PatientRecordServiceService;
type DocumentMethods =
  | 'signConsentDocument'
  | 'withdrawConsentDocument'
  | 'listConsentDocuments'
  | 'publishIntakeFormTemplate'
  | 'retireIntakeFormTemplate'
  | 'getIntakeFormTemplate'
  | 'submitIntakeForm'
  | 'reviewIntakeForm'
  | 'getIntakeForm'
  | 'listIntakeForms';

/** Consent documents with e-signature; intake form templates and submitted intake forms. */
export function documentHandlers(deps: AppDeps): Pick<ServiceHandlers<Service>, DocumentMethods> {
  return {
    async signConsentDocument(r, call) {
      const signing = consentSigningFromProto(r);
      const id = await signConsentDocument(deps, requestContextOf(call), {
        patientId: r.patientId,
        ...signing,
      });
      return { consentDocumentId: id };
    },
    async withdrawConsentDocument(r, call) {
      await withdrawConsentDocument(deps, requestContextOf(call), r.consentDocumentId, optional(r.reason));
      return {};
    },
    async listConsentDocuments(r, call) {
      const documents = await listConsentDocuments(deps, requestContextOf(call), r.patientId);
      return { documents: documents.map(consentDocumentToProto) };
    },
    async publishIntakeFormTemplate(r, call) {
      return publishIntakeFormTemplate(deps, requestContextOf(call), {
        templateId: optional(r.templateId),
        title: r.title,
        questions: r.questions.map(questionFromProto),
      });
    },
    async retireIntakeFormTemplate(r, call) {
      await retireIntakeFormTemplate(deps, requestContextOf(call), r.templateId);
      return {};
    },
    async getIntakeFormTemplate(r, call) {
      const found = await getIntakeFormTemplate(deps, requestContextOf(call), r.templateId, r.version);
      return { template: templateToProto(found.template, found.retired) };
    },
    async submitIntakeForm(r, call) {
      const intakeFormId = await submitIntakeForm(deps, requestContextOf(call), {
        patientId: r.patientId,
        templateId: r.templateId,
        templateVersion: r.templateVersion,
        answers: answersFromProto(r.answers),
      });
      return { intakeFormId };
    },
    async reviewIntakeForm(r, call) {
      await reviewIntakeForm(deps, requestContextOf(call), r.intakeFormId);
      return {};
    },
    async getIntakeForm(r, call) {
      return { form: intakeFormToProto(await getIntakeForm(deps, requestContextOf(call), r.intakeFormId)) };
    },
    async listIntakeForms(r, call) {
      const forms = await listIntakeForms(deps, requestContextOf(call), r.patientId);
      return { forms: forms.map(intakeFormToProto) };
    },
  };
}
