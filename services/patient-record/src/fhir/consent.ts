import type { Consent } from '@medplum/fhirtypes';
import type { ConsentDocumentState, ConsentPurpose } from '../domain/consent-document/consent-document.js';
import { logical, type PatientReference } from './references.js';
import { codeSystems, extensions, hl7, MEDSPA_FHIR_BASE } from './systems.js';

export type ExportableConsentDocument = Exclude<ConsentDocumentState, { status: 'unsigned' }>;

// Consent to use images beyond the chart is about disclosure, hence privacy.
const scopeOf: Record<ConsentPurpose, string> = {
  treatment: 'treatment',
  privacy: 'patient-privacy',
  photography: 'patient-privacy',
};

/**
 * A signed consent document. Withdrawal makes it `inactive` and ends the provision's period; the
 * signature stays. The template version is the policy consented to; the document's SHA-256 rides
 * on the source attachment.
 */
export function toFhirConsent(state: ExportableConsentDocument, patient: PatientReference): Consent {
  const d = state.document;
  const signer =
    d.signerRole === 'patient'
      ? { ...patient, display: d.signerName }
      : logical('RelatedPerson', 'representative', d.signerId, d.signerName);
  return {
    resourceType: 'Consent',
    id: d.consentDocumentId,
    status: state.status === 'withdrawn' ? 'inactive' : 'active',
    scope: { coding: [{ system: hl7.consentScope, code: scopeOf[d.purpose] }] },
    category: [
      { coding: [{ system: hl7.loinc, code: '59284-0', display: 'Patient Consent' }] },
      { coding: [{ system: codeSystems.consentPurpose, code: d.purpose }] },
    ],
    patient,
    dateTime: d.signedAt,
    performer: [signer],
    policy: [{ uri: `${MEDSPA_FHIR_BASE}/consent-template/${d.templateId}/version/${d.templateVersion}` }],
    sourceAttachment: {
      extension: [{ url: extensions.documentSha256, valueString: d.documentSha256 }],
      title: d.title,
      creation: d.signedAt,
    },
    provision: {
      type: 'permit',
      period: { start: d.signedAt, ...(d.withdrawal !== undefined ? { end: d.withdrawal.at } : {}) },
    },
  };
}
