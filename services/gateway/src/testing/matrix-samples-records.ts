import { randomUUID } from 'node:crypto';
import type { MatrixFixture, MatrixSample } from './matrix-samples.js';

/** The matrix samples of patient-record's and audit's routes (see MATRIX_SAMPLES). */
export const RECORD_SAMPLES: Record<string, (fx: MatrixFixture) => MatrixSample> = {
  // patients
  registerPatient: () => ({
    url: '/v1/patients',
    body: {
      demographics: {
        name: { given: ['Robin'], family: 'Okafor' },
        dateOfBirth: '1990-04-01',
        gender: 'GENDER_UNKNOWN',
      },
    },
    crossTenant: 'no-leak',
  }),
  getPatient: (fx) => ({ url: `/v1/patients/${fx.patientId}`, crossTenant: 'not-found' }),
  searchPatients: (fx) => ({
    url: '/v1/patients/search',
    body: { namePrefix: fx.familyName },
    crossTenant: 'no-leak',
  }),
  changeContactDetails: (fx) => ({
    url: `/v1/patients/${fx.patientId}/contact`,
    body: { contact: { phone: '+12125550123', email: 'matrix@patient.example' } },
    crossTenant: 'not-found',
  }),
  grantCommunicationConsent: (fx) => ({
    url: `/v1/patients/${fx.patientId}/consents/grant`,
    body: { channel: 'COMMUNICATION_CHANNEL_EMAIL', source: 'CONSENT_SOURCE_STAFF' },
    crossTenant: 'not-found',
  }),
  revokeCommunicationConsent: (fx) => ({
    url: `/v1/patients/${fx.patientId}/consents/revoke`,
    body: { channel: 'COMMUNICATION_CHANNEL_SMS_MARKETING', source: 'CONSENT_SOURCE_STAFF' },
    crossTenant: 'not-found',
  }),
  getPatientAsOf: (fx) => ({
    url: `/v1/patients/${fx.patientId}/as-of?asOf=${new Date().toISOString()}`,
    crossTenant: 'not-found',
  }),
  exportPatientFhir: (fx) => ({ url: `/v1/patients/${fx.patientId}/fhir`, crossTenant: 'not-found' }),
  // record administration: a harmless correction (the same name, so search still finds the
  // fixture), and unknown ids for merge and erasure (the matrix must not destroy the fixture)
  changeDemographics: (fx) => ({
    url: `/v1/patients/${fx.patientId}/demographics`,
    body: {
      demographics: {
        name: { given: ['Ada'], family: fx.familyName },
        dateOfBirth: '1985-06-15',
        gender: 'GENDER_FEMALE',
      },
    },
    crossTenant: 'not-found',
  }),
  mergePatients: () => ({
    url: '/v1/patients/merge',
    body: { survivorPatientId: randomUUID(), duplicatePatientId: randomUUID() },
    crossTenant: 'no-leak',
  }),
  erasePatient: () => ({ url: `/v1/patients/${randomUUID()}/erase`, crossTenant: 'no-leak' }),
  // allergies and medications
  recordAllergy: (fx) => ({
    url: `/v1/patients/${fx.patientId}/allergies`,
    body: {
      substance: { text: 'Lidocaine' },
      category: 'ALLERGY_CATEGORY_MEDICATION',
      criticality: 'ALLERGY_CRITICALITY_HIGH',
      reactions: [{ manifestation: 'Hives', severity: 'REACTION_SEVERITY_MODERATE' }],
    },
    crossTenant: 'not-found',
  }),
  resolveAllergy: (fx) => ({
    url: `/v1/patients/${fx.patientId}/allergies/${randomUUID()}/resolve`,
    crossTenant: 'not-found',
  }),
  recordMedication: (fx) => ({
    url: `/v1/patients/${fx.patientId}/medications`,
    body: {
      medication: {
        text: 'Aspirin',
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1191' }],
      },
      dosage: '81 mg daily',
      startedOn: '2020',
    },
    crossTenant: 'not-found',
  }),
  stopMedication: (fx) => ({
    url: `/v1/patients/${fx.patientId}/medications/${randomUUID()}/stop`,
    crossTenant: 'not-found',
  }),
  getClinicalLists: (fx) => ({
    url: `/v1/patients/${fx.patientId}/clinical-lists`,
    crossTenant: 'not-found',
  }),
  // consent documents (the fixture's patient signs as themself)
  signConsentDocument: (fx) => ({
    url: `/v1/patients/${fx.patientId}/consent-documents`,
    body: {
      template: {
        templateId: randomUUID(),
        templateVersion: 1,
        title: 'Neurotoxin treatment consent',
        purpose: 'CONSENT_PURPOSE_TREATMENT',
      },
      signature: {
        signerId: fx.patientId,
        signerName: 'Ada',
        signerRole: 'SIGNER_ROLE_PATIENT',
        signatureImageKey: `signatures/${randomUUID()}.png`,
        documentSha256: 'ab'.repeat(32),
      },
    },
    crossTenant: 'not-found',
  }),
  withdrawConsentDocument: () => ({
    url: `/v1/consent-documents/${randomUUID()}/withdraw`,
    body: { reason: 'Changed my mind' },
    crossTenant: 'no-leak',
  }),
  listConsentDocuments: (fx) => ({
    url: `/v1/patients/${fx.patientId}/consent-documents`,
    crossTenant: 'not-found',
  }),
  // intake forms (templates the fixture does not have: unknown ids, and retiring one never
  // touches a template a later sample uses)
  publishIntakeFormTemplate: () => ({
    url: '/v1/intake-form-templates',
    body: {
      title: 'Medical history',
      questions: [
        {
          questionId: 'pregnant_or_nursing',
          text: 'Are you pregnant or nursing?',
          type: 'QUESTION_TYPE_YES_NO',
          required: true,
        },
      ],
    },
    crossTenant: 'no-leak',
  }),
  retireIntakeFormTemplate: () => ({
    url: `/v1/intake-form-templates/${randomUUID()}/retire`,
    crossTenant: 'no-leak',
  }),
  getIntakeFormTemplate: () => ({
    url: `/v1/intake-form-templates/${randomUUID()}?version=1`,
    crossTenant: 'no-leak',
  }),
  submitIntakeForm: (fx) => ({
    url: '/v1/intake-forms',
    body: {
      patientId: fx.patientId,
      templateId: randomUUID(),
      templateVersion: 1,
      answers: { pregnant_or_nursing: { yesNo: false } },
    },
    crossTenant: 'not-found',
  }),
  reviewIntakeForm: () => ({ url: `/v1/intake-forms/${randomUUID()}/review`, crossTenant: 'no-leak' }),
  getIntakeForm: () => ({ url: `/v1/intake-forms/${randomUUID()}`, crossTenant: 'no-leak' }),
  listIntakeForms: (fx) => ({ url: `/v1/patients/${fx.patientId}/intake-forms`, crossTenant: 'not-found' }),
  // charting
  openEncounter: (fx) => ({
    url: '/v1/encounters',
    body: {
      patientId: fx.patientId,
      locationId: fx.locationId,
      timeZone: 'America/New_York',
      serviceName: 'Consultation',
    },
    crossTenant: 'not-found',
  }),
  recordTreatmentNote: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/notes`,
    body: { text: 'Tolerated well.' },
    crossTenant: 'not-found',
  }),
  recordProductUse: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/product-uses`,
    body: {
      product: { name: 'Botulinum toxin A', category: 'PRODUCT_CATEGORY_NEUROTOXIN' },
      lotNumber: 'C1234',
      expiresOn: '2030-01',
      quantity: { value: 20, unit: 'QUANTITY_UNIT_UNITS' },
      injections: [{ site: 'glabella', amount: 20 }],
    },
    crossTenant: 'not-found',
  }),
  attachPhoto: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/photos`,
    body: { kind: 'PHOTO_KIND_BEFORE', objectKey: `photos/${randomUUID()}.jpg`, contentType: 'image/jpeg' },
    crossTenant: 'not-found',
  }),
  recordGoodFaithExam: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/good-faith-exam`,
    body: {
      exam: {
        examinerId: fx.providerId,
        examinerName: 'Dr. Rivera',
        examinerCredentials: 'MD',
        modality: 'EXAM_MODALITY_TELEHEALTH',
        findings: 'No contraindications.',
        outcome: 'EXAM_OUTCOME_APPROVED',
        approvedTreatments: ['Neurotoxin to glabella'],
      },
    },
    crossTenant: 'not-found',
  }),
  signChart: (fx) => ({ url: `/v1/encounters/${fx.encounterId}/sign`, crossTenant: 'not-found' }),
  signAddendum: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/addenda`,
    body: { text: 'Follow-up in two weeks.' },
    crossTenant: 'not-found',
  }),
  getEncounter: (fx) => ({ url: `/v1/encounters/${fx.encounterId}`, crossTenant: 'not-found' }),
  getEncounterAsOf: (fx) => ({
    url: `/v1/encounters/${fx.encounterId}/as-of?asOf=${new Date().toISOString()}`,
    crossTenant: 'not-found',
  }),
  listEncounters: (fx) => ({ url: `/v1/patients/${fx.patientId}/encounters`, crossTenant: 'not-found' }),
  listInjectionSites: () => ({ url: '/v1/injection-sites', crossTenant: 'no-leak' }),
  // audit (answered from the caller's own clinic's log)
  queryAuditEntries: (fx) => ({ url: `/v1/audit/entries?subjectId=${fx.patientId}`, crossTenant: 'no-leak' }),
  accountingOfDisclosures: (fx) => ({
    url: `/v1/audit/disclosures?subjectId=${fx.patientId}&from=2020-01-01T00:00:00Z&to=${new Date(Date.now() + 60_000).toISOString()}`,
    crossTenant: 'no-leak',
  }),
  accountingOfDisclosuresCsv: (fx) => ({
    url: `/v1/audit/disclosures.csv?subjectId=${fx.patientId}&from=2020-01-01T00:00:00Z&to=${new Date(Date.now() + 60_000).toISOString()}`,
    crossTenant: 'no-leak',
  }),
  verifyAuditLog: () => ({ url: '/v1/audit/verify', body: {}, crossTenant: 'no-leak' }),
  exportAuditLog: () => ({ url: '/v1/audit/export', crossTenant: 'no-leak' }),
  // legal holds (audit:legal_hold)
  placeLegalHold: (fx) => ({
    url: '/v1/audit/legal-holds',
    body: { subjectId: fx.patientId, reasonCode: 'LITIGATION', reference: 'CASE-2026/17' },
    crossTenant: 'no-leak',
  }),
  releaseLegalHold: () => ({
    url: `/v1/audit/legal-holds/${randomUUID()}/release`,
    body: { reasonCode: 'MATTER_CLOSED' },
    crossTenant: 'no-leak',
  }),
  listLegalHolds: () => ({ url: '/v1/audit/legal-holds', crossTenant: 'no-leak' }),
};
