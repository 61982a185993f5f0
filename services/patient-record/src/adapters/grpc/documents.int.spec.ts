import { createHash, randomUUID } from 'node:crypto';
import { AccessAction, AccessOutcome } from '@medspa/contracts/medspa.common.v1';
import {
  AllergyCategory,
  ConsentPurpose,
  ExamModality,
  ExamOutcome,
  QuestionType,
  SignerRole,
  type IntakeQuestion,
  type SignConsentDocumentRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import { makeCanaries } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateFhir } from '../../fhir/testing/fhir-schema.js';
import { refusedWithoutWrite } from '../../testing/refusals.js';
import { opening, registration } from '../../testing/requests.js';
import { startRecordFixture, type RecordClient, type RecordFixture } from '../../testing/service-fixture.js';

const sha256 = createHash('sha256').update('Dermal filler consent v3, rendered').digest('hex');

const signing = (
  patientId: string,
  over: Partial<SignConsentDocumentRequest> = {},
): SignConsentDocumentRequest => ({
  patientId,
  template: {
    templateId: randomUUID(),
    templateVersion: 3,
    title: 'Dermal filler consent',
    purpose: ConsentPurpose.CONSENT_PURPOSE_TREATMENT,
  },
  signature: {
    signerId: patientId,
    signerName: 'Ana Silva',
    signerRole: SignerRole.SIGNER_ROLE_PATIENT,
    signatureImageKey: `signatures/${randomUUID()}.png`,
    documentSha256: sha256,
  },
  ...over,
});

const questions: IntakeQuestion[] = [
  {
    questionId: 'pregnant_or_nursing',
    text: 'Are you pregnant or nursing?',
    type: QuestionType.QUESTION_TYPE_YES_NO,
    required: true,
    options: [],
  },
  {
    questionId: 'concerns',
    text: 'Which areas concern you?',
    type: QuestionType.QUESTION_TYPE_MULTI_CHOICE,
    required: false,
    options: [
      { value: 'forehead', label: 'Forehead' },
      { value: 'lips', label: 'Lips' },
    ],
  },
];

// Consent documents (e-signature, withdrawal), intake templates (versioned) and intake forms,
// and the FHIR export of everything a record holds.
describe('patient-record: consent documents, intake forms, FHIR export', () => {
  let f: RecordFixture;
  const tenantId = randomUUID();
  let frontDesk: RecordClient;
  let provider: RecordClient;
  let manager: RecordClient;
  let self: RecordClient;
  let patientId = '';
  let consentDocumentId = '';
  let templateId = '';

  beforeAll(async () => {
    f = await startRecordFixture();
    frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    provider = f.clientAs({ tenantId, role: 'provider' });
    manager = f.clientAs({ tenantId, role: 'manager' });
    ({ patientId } = await frontDesk.registerPatient(registration(makeCanaries())));
    self = f.clientAs({ tenantId, role: 'patient', userId: patientId });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('records a signed consent: template version, signer, server time, image key and hash', async () => {
    const before = new Date();
    ({ consentDocumentId } = await self.signConsentDocument(signing(patientId)));
    await f.service.catchUp();
    const { documents } = await frontDesk.listConsentDocuments({ patientId });
    expect(documents).toEqual([
      expect.objectContaining({
        consentDocumentId,
        patientId,
        withdrawn: false,
      }),
    ]);
    expect(documents[0]).toMatchObject({
      template: { templateVersion: 3, title: 'Dermal filler consent' },
      signature: { signerId: patientId, documentSha256: sha256 },
    });
    expect(documents[0]!.signedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const reads = (await f.accessEvents()).filter((e) => e.resourceType === 'Consent');
    expect(reads).toEqual([
      expect.objectContaining({
        resourceId: consentDocumentId,
        outcome: AccessOutcome.ACCESS_OUTCOME_ALLOWED,
      }),
    ]);
    const changed = (await f.outbox()).filter((m) => m.type.endsWith('ConsentDocumentChanged'));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.payloadText).not.toMatch(/Dermal|Ana Silva|signatures\//);
  });

  it('refuses a bad hash, a forged patient signature, another patient and another tenant', async () => {
    const bad = signing(patientId);
    bad.signature!.documentSha256 = 'abc123';
    await refusedWithoutWrite(f, () => self.signConsentDocument(bad), {
      kind: 'validation',
      reason: 'INVALID_DOCUMENT_HASH',
    });
    const forged = signing(patientId);
    forged.signature!.signerId = randomUUID();
    await refusedWithoutWrite(f, () => provider.signConsentDocument(forged), {
      reason: 'SIGNER_NOT_PATIENT',
    });
    const stranger = f.clientAs({ tenantId, role: 'patient' });
    await refusedWithoutWrite(f, () => stranger.signConsentDocument(signing(patientId)), {
      reason: 'PERMISSION_DENIED',
    });
    const other = f.clientAs({ tenantId: randomUUID(), role: 'provider' });
    await refusedWithoutWrite(f, () => other.signConsentDocument(signing(patientId)), { kind: 'not_found' });
    await refusedWithoutWrite(f, () => other.withdrawConsentDocument({ consentDocumentId, reason: '' }), {
      kind: 'not_found',
      reason: 'CONSENT_DOCUMENT_NOT_FOUND',
    });
    await expect(
      f.clientAs({ tenantId, role: 'billing' }).listConsentDocuments({ patientId }),
    ).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
  });

  it('withdraws a consent once; the signature stays on record', async () => {
    await self.withdrawConsentDocument({ consentDocumentId, reason: 'Changed my mind' });
    await self.withdrawConsentDocument({ consentDocumentId, reason: '' });
    const { documents } = await provider.listConsentDocuments({ patientId });
    expect(documents[0]).toMatchObject({
      withdrawn: true,
      withdrawnBy: patientId,
      withdrawalReason: 'Changed my mind',
      signature: { documentSha256: sha256 },
    });
  });

  it('publishes intake templates in versions; answers are checked against the version shown', async () => {
    await refusedWithoutWrite(
      f,
      () => frontDesk.publishIntakeFormTemplate({ templateId: '', title: 'Intake', questions }),
      {
        reason: 'PERMISSION_DENIED',
      },
    );
    ({ templateId } = await manager.publishIntakeFormTemplate({
      templateId: '',
      title: 'Injectables intake',
      questions,
    }));
    const v2 = await manager.publishIntakeFormTemplate({
      templateId,
      title: 'Injectables intake',
      questions: [
        ...questions,
        { ...questions[0]!, questionId: 'blood_thinners', text: 'Do you take blood thinners?' },
      ],
    });
    expect(v2).toEqual({ templateId, version: 2 });
    const latest = await self.getIntakeFormTemplate({ templateId, version: 0 });
    expect(latest.template).toMatchObject({ version: 2, retired: false });
    expect(latest.template?.questions).toHaveLength(3);

    const { intakeFormId } = await self.submitIntakeForm({
      patientId,
      templateId,
      templateVersion: 1,
      answers: {
        pregnant_or_nursing: { value: { $case: 'yesNo', value: false } },
        concerns: { value: { $case: 'choices', value: { values: ['forehead', 'lips'] } } },
      },
    });
    await provider.reviewIntakeForm({ intakeFormId });
    const { form } = await provider.getIntakeForm({ intakeFormId });
    expect(form).toMatchObject({ patientId, templateId, templateVersion: 1 });
    expect(form?.reviewedBy).not.toBe('');
    expect(form?.answers.concerns?.value).toEqual({
      $case: 'choices',
      value: { values: ['forehead', 'lips'] },
    });
    await expect(frontDesk.getIntakeForm({ intakeFormId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
    const reads = (await f.accessEvents()).filter((e) => e.resourceType === 'QuestionnaireResponse');
    expect(reads.map((e) => e.outcome)).toEqual([
      AccessOutcome.ACCESS_OUTCOME_ALLOWED,
      AccessOutcome.ACCESS_OUTCOME_DENIED,
    ]);
  });

  it("lists a patient's intake forms oldest first, each one an access event; others are refused", async () => {
    const { intakeFormId: second } = await self.submitIntakeForm({
      patientId,
      templateId,
      templateVersion: 2,
      answers: {
        pregnant_or_nursing: { value: { $case: 'yesNo', value: false } },
        concerns: { value: { $case: 'choices', value: { values: ['lips'] } } },
        blood_thinners: { value: { $case: 'yesNo', value: true } },
      },
    });
    const before = (await f.accessEvents()).length;
    // The document list is a projection: wait until it has both forms.
    const { forms } = await vi.waitFor(
      async () => {
        const listed = await provider.listIntakeForms({ patientId });
        expect(listed.forms).toHaveLength(2);
        return listed;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(forms.map((x) => x.templateVersion)).toEqual([1, 2]);
    expect(forms[1]).toMatchObject({ intakeFormId: second, patientId, reviewedBy: '' });
    expect(forms[1]?.answers.blood_thinners?.value).toEqual({ $case: 'yesNo', value: true });
    expect(forms[0]?.reviewedBy).not.toBe('');
    const reads = (await f.accessEvents())
      .slice(before)
      .filter((e) => e.resourceType === 'QuestionnaireResponse');
    // Only the last listing counts: earlier polls may have seen one form.
    expect(reads.slice(-2)).toEqual([
      expect.objectContaining({ subjectId: patientId, resourceId: forms[0]!.intakeFormId }),
      expect.objectContaining({ subjectId: patientId, resourceId: second }),
    ]);
    await expect(frontDesk.listIntakeForms({ patientId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
    const other = f.clientAs({ tenantId: randomUUID(), role: 'provider' });
    await refusedWithoutWrite(f, () => other.listIntakeForms({ patientId }), {
      kind: 'not_found',
      reason: 'PATIENT_NOT_FOUND',
    });
    await refusedWithoutWrite(f, () => provider.listIntakeForms({ patientId: 'not-a-uuid' }), {
      kind: 'validation',
      reason: 'INVALID_ID',
    });
  });

  it('refuses bad answers, unknown versions, retired templates and other tenants, writing nothing', async () => {
    const submit =
      (answers: Parameters<RecordClient['submitIntakeForm']>[0]['answers'], version = 2) =>
      () =>
        self.submitIntakeForm({ patientId, templateId, templateVersion: version, answers });
    await refusedWithoutWrite(
      f,
      submit({ concerns: { value: { $case: 'choices', value: { values: ['knees'] } } } }),
      {
        kind: 'validation',
        reason: 'INVALID_INTAKE_ANSWERS',
      },
    );
    await refusedWithoutWrite(f, submit({}, 9), {
      kind: 'not_found',
      reason: 'INTAKE_TEMPLATE_VERSION_NOT_FOUND',
    });
    const other = f.clientAs({ tenantId: randomUUID(), role: 'manager' });
    await refusedWithoutWrite(f, () => other.retireIntakeFormTemplate({ templateId }), {
      kind: 'not_found',
      reason: 'INTAKE_TEMPLATE_NOT_FOUND',
    });
    await manager.retireIntakeFormTemplate({ templateId });
    await refusedWithoutWrite(
      f,
      submit({ pregnant_or_nursing: { value: { $case: 'yesNo', value: true } } }),
      {
        kind: 'precondition',
        reason: 'INTAKE_TEMPLATE_RETIRED',
      },
    );
    expect((await self.getIntakeFormTemplate({ templateId, version: 1 })).template?.retired).toBe(true);
  });

  it('exports consents, allergies, medications and the good-faith exam as valid FHIR R4', async () => {
    await provider.recordAllergy({
      patientId,
      substance: { text: 'Hyaluronidase', coding: [] },
      category: AllergyCategory.ALLERGY_CATEGORY_MEDICATION,
      criticality: 0,
      reactions: [],
    });
    await provider.recordMedication({
      patientId,
      medication: { text: 'Aspirin', coding: [] },
      dosage: '81 mg',
      startedOn: '',
    });
    const { encounterId } = await provider.openEncounter(opening(patientId));
    await provider.recordGoodFaithExam({
      encounterId,
      exam: {
        examId: '',
        examinerId: randomUUID(),
        examinerName: 'Dr. Rivera',
        examinerCredentials: 'MD',
        modality: ExamModality.EXAM_MODALITY_IN_PERSON,
        findings: 'Suitable for treatment.',
        outcome: ExamOutcome.EXAM_OUTCOME_APPROVED,
        approvedTreatments: ['Lip filler'],
        recordedAt: undefined,
      },
    });
    await f.service.catchUp();
    const { bundleJson } = await provider.exportPatientFhir({ patientId });
    const bundle = JSON.parse(bundleJson) as {
      resourceType: string;
      entry: { resource: { resourceType: string; status?: string } }[];
    };
    expect(validateFhir(bundle)).toEqual({ valid: true, errors: [] });
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual(
      expect.arrayContaining([
        'Patient',
        'AllergyIntolerance',
        'MedicationStatement',
        'Consent',
        'Encounter',
        'Observation',
      ]),
    );
    const consent = bundle.entry.find((e) => e.resource.resourceType === 'Consent')!.resource;
    expect(consent.status).toBe('inactive');
    expect(bundleJson).toContain(sha256);
    const disclosures = (await f.accessEvents()).filter(
      (e) => e.action === AccessAction.ACCESS_ACTION_DISCLOSE,
    );
    expect(disclosures).toHaveLength(1);
  });
});
