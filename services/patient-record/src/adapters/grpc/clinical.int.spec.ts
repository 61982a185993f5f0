import { randomUUID } from 'node:crypto';
import { AccessOutcome } from '@medspa/contracts/medspa.common.v1';
import {
  AllergyCategory,
  AllergyCriticality,
  ExamModality,
  ExamOutcome,
  PhotoKind,
  ProductCategory,
  QuantityUnit,
  ReactionSeverity,
  type GoodFaithExam,
  type RecordAllergyRequest,
} from '@medspa/contracts/medspa.patient_record.v1';
import { makeCanaries } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedWithoutWrite } from '../../testing/refusals.js';
import { neurotoxinUse, opening, registration } from '../../testing/requests.js';
import { startRecordFixture, type RecordClient, type RecordFixture } from '../../testing/service-fixture.js';

const lidocaine = (patientId: string, over: Partial<RecordAllergyRequest> = {}): RecordAllergyRequest => ({
  patientId,
  substance: {
    text: 'Lidocaine',
    coding: [{ system: 'http://snomed.info/sct', code: '387480006', display: 'Lidocaine' }],
  },
  category: AllergyCategory.ALLERGY_CATEGORY_MEDICATION,
  criticality: AllergyCriticality.ALLERGY_CRITICALITY_HIGH,
  reactions: [{ manifestation: 'Hives', severity: ReactionSeverity.REACTION_SEVERITY_MODERATE }],
  ...over,
});

const exam = (examinerId: string, over: Partial<GoodFaithExam> = {}): GoodFaithExam => ({
  examId: '',
  examinerId,
  examinerName: 'Dr. Rivera',
  examinerCredentials: 'MD',
  modality: ExamModality.EXAM_MODALITY_TELEHEALTH,
  findings: 'No contraindications; realistic expectations.',
  outcome: ExamOutcome.EXAM_OUTCOME_APPROVED,
  approvedTreatments: ['Neurotoxin to glabella and forehead'],
  recordedAt: undefined,
  ...over,
});

// Allergies and medications, before/after photos, the good-faith exam and the injection-site
// map: clinicians write, reads are audited, bad input and other tenants write nothing.
describe('patient-record: allergies, medications, photos, good-faith exam', () => {
  let f: RecordFixture;
  const tenantId = randomUUID();
  let frontDesk: RecordClient;
  let provider: RecordClient;
  let patientId = '';
  let encounterId = '';

  beforeAll(async () => {
    f = await startRecordFixture();
    frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    provider = f.clientAs({ tenantId, role: 'provider' });
    ({ patientId } = await frontDesk.registerPatient(registration(makeCanaries())));
    ({ encounterId } = await provider.openEncounter(opening(patientId)));
  });

  afterAll(async () => {
    await f?.close();
  });

  it('records and resolves allergies and medications; integration events carry ids only', async () => {
    const { allergyId } = await provider.recordAllergy(lidocaine(patientId));
    const { medicationId } = await provider.recordMedication({
      patientId,
      medication: { text: 'Warfarin', coding: [] },
      dosage: '5 mg daily',
      startedOn: '2021-03',
    });
    await provider.resolveAllergy({ patientId, allergyId });
    await provider.stopMedication({ patientId, medicationId });
    const lists = await provider.getClinicalLists({ patientId });
    expect(lists.allergies).toHaveLength(1);
    expect(lists.allergies[0]).toMatchObject({
      allergyId,
      substance: { text: 'Lidocaine' },
      criticality: AllergyCriticality.ALLERGY_CRITICALITY_HIGH,
    });
    expect(lists.allergies[0]?.resolvedAt).toBeInstanceOf(Date);
    expect(lists.medications).toHaveLength(1);
    expect(lists.medications[0]).toMatchObject({ medicationId, dosage: '5 mg daily', startedOn: '2021-03' });
    expect(lists.medications[0]?.stoppedAt).toBeInstanceOf(Date);
    const listEvents = (await f.outbox()).filter((m) => m.type.endsWith('PatientClinicalListChanged'));
    expect(listEvents).toHaveLength(4);
    for (const m of listEvents) {
      expect(m.key).toBe(`patient-${patientId}`);
      expect(m.payloadText).not.toMatch(/Lidocaine|Warfarin|Hives|5 mg/);
    }
  });

  it('keeps allergies from the front desk (minimum necessary), auditing the denial', async () => {
    await expect(frontDesk.getClinicalLists({ patientId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
    await refusedWithoutWrite(f, () => frontDesk.recordAllergy(lidocaine(patientId)), {
      reason: 'PERMISSION_DENIED',
    });
    const mine = (await f.accessEvents()).filter((e) => e.resourceType === 'AllergyIntolerance');
    expect(mine.map((e) => [e.userRole, e.outcome])).toEqual([
      ['provider', AccessOutcome.ACCESS_OUTCOME_ALLOWED],
      ['front_desk', AccessOutcome.ACCESS_OUTCOME_DENIED],
    ]);
    const self = f.clientAs({ tenantId, role: 'patient', userId: patientId });
    expect((await self.getClinicalLists({ patientId })).allergies).toHaveLength(1);
  });

  it('refuses malformed allergies and medications, unknown ids and other tenants, writing nothing', async () => {
    await refusedWithoutWrite(
      f,
      () => provider.recordAllergy(lidocaine(patientId, { substance: { text: ' ', coding: [] } })),
      { kind: 'validation', reason: 'INVALID_ALLERGY' },
    );
    await refusedWithoutWrite(
      f,
      () =>
        provider.recordMedication({
          patientId,
          medication: { text: 'Aspirin', coding: [] },
          dosage: '',
          startedOn: '2999-01-01',
        }),
      { kind: 'validation', reason: 'INVALID_MEDICATION' },
    );
    await refusedWithoutWrite(f, () => provider.resolveAllergy({ patientId, allergyId: randomUUID() }), {
      kind: 'not_found',
      reason: 'ALLERGY_NOT_FOUND',
    });
    const other = f.clientAs({ tenantId: randomUUID(), role: 'provider' });
    await refusedWithoutWrite(f, () => other.recordAllergy(lidocaine(patientId)), {
      kind: 'not_found',
      reason: 'PATIENT_NOT_FOUND',
    });
    await expect(other.getClinicalLists({ patientId })).rejects.toMatchObject({ kind: 'not_found' });
    await refusedWithoutWrite(f, () => provider.recordAllergy(lidocaine('not-a-uuid')), {
      kind: 'validation',
      reason: 'INVALID_ID',
    });
  });

  it('lists the injection-site codes of the face and body maps', async () => {
    const { sites } = await frontDesk.listInjectionSites({});
    expect(sites.find((s) => s.code === 'glabella')?.region).toBe('upper_face');
    expect(sites.some((s) => s.region === 'body')).toBe(true);
  });

  it('attaches photo references and a good-faith exam to the chart', async () => {
    const objectKey = `tenants/${tenantId}/photos/${randomUUID()}.jpg`;
    const { photoId } = await provider.attachPhoto({
      encounterId,
      kind: PhotoKind.PHOTO_KIND_BEFORE,
      objectKey,
      contentType: 'image/jpeg',
    });
    const examinerId = randomUUID();
    const { examId } = await provider.recordGoodFaithExam({ encounterId, exam: exam(examinerId) });
    const { encounter } = await provider.getEncounter({ encounterId });
    expect(encounter?.photos).toEqual([
      expect.objectContaining({
        photoId,
        kind: PhotoKind.PHOTO_KIND_BEFORE,
        objectKey,
        contentType: 'image/jpeg',
      }),
    ]);
    expect(encounter?.goodFaithExam).toMatchObject({
      examId,
      examinerId,
      modality: ExamModality.EXAM_MODALITY_TELEHEALTH,
      outcome: ExamOutcome.EXAM_OUTCOME_APPROVED,
    });
    const entries = (await f.outbox()).filter((m) => m.type.endsWith('ChartEntryRecorded'));
    for (const m of entries) expect(m.payloadText).not.toContain(objectKey);
  });

  it('refuses bad photos, exams and products, and every change to a signed chart', async () => {
    await refusedWithoutWrite(
      f,
      () =>
        provider.attachPhoto({
          encounterId,
          kind: PhotoKind.PHOTO_KIND_AFTER,
          objectKey: 'x.gif',
          contentType: 'image/gif',
        }),
      { kind: 'validation', reason: 'INVALID_PHOTO' },
    );
    await refusedWithoutWrite(
      f,
      () =>
        provider.attachPhoto({
          encounterId,
          kind: PhotoKind.PHOTO_KIND_UNSPECIFIED,
          objectKey: 'a.jpg',
          contentType: 'image/jpeg',
        }),
      { kind: 'validation' },
    );
    await refusedWithoutWrite(
      f,
      () => provider.recordGoodFaithExam({ encounterId, exam: exam(randomUUID()) }),
      {
        kind: 'conflict',
        reason: 'GOOD_FAITH_EXAM_ALREADY_RECORDED',
      },
    );
    const filler = neurotoxinUse(encounterId, {
      product: {
        name: 'Juvederm Ultra XC',
        category: ProductCategory.PRODUCT_CATEGORY_FILLER,
        manufacturer: '',
      },
      lotNumber: '',
      quantity: { value: 1, unit: QuantityUnit.QUANTITY_UNIT_SYRINGE },
      injections: [{ site: 'lip_upper', amount: 1, point: undefined }],
    });
    await refusedWithoutWrite(f, () => provider.recordProductUse(filler), {
      kind: 'validation',
      reason: 'LOT_NUMBER_REQUIRED',
    });
    await refusedWithoutWrite(
      f,
      () =>
        provider.recordProductUse(
          neurotoxinUse(encounterId, { injections: [{ site: 'earlobe', amount: 1, point: undefined }] }),
        ),
      { kind: 'validation', reason: 'UNKNOWN_SITE_CODE' },
    );
    await provider.recordTreatmentNote({ encounterId, text: 'Glabella 20U.' });
    await provider.signChart({ encounterId });
    await refusedWithoutWrite(
      f,
      () =>
        provider.attachPhoto({
          encounterId,
          kind: PhotoKind.PHOTO_KIND_AFTER,
          objectKey: 'after.jpg',
          contentType: 'image/jpeg',
        }),
      { kind: 'precondition', reason: 'CHART_LOCKED' },
    );
    const other = f.clientAs({ tenantId: randomUUID(), role: 'provider' });
    await refusedWithoutWrite(
      f,
      () =>
        other.attachPhoto({
          encounterId,
          kind: PhotoKind.PHOTO_KIND_AFTER,
          objectKey: 'after.jpg',
          contentType: 'image/jpeg',
        }),
      { kind: 'not_found', reason: 'ENCOUNTER_NOT_FOUND' },
    );
    expect((await provider.getEncounter({ encounterId })).encounter?.photos).toHaveLength(1);
  });

  it('blocks products after a good-faith exam that did not approve treatment', async () => {
    const { encounterId: declined } = await provider.openEncounter(opening(patientId));
    await provider.recordGoodFaithExam({
      encounterId: declined,
      exam: exam(randomUUID(), { outcome: ExamOutcome.EXAM_OUTCOME_NOT_APPROVED, approvedTreatments: [] }),
    });
    await refusedWithoutWrite(f, () => provider.recordProductUse(neurotoxinUse(declined)), {
      kind: 'precondition',
      reason: 'TREATMENT_NOT_APPROVED',
    });
    expect((await provider.getEncounter({ encounterId: declined })).encounter?.productUses).toEqual([]);
  });

  it('lists the chart history of a patient, one access event per encounter', async () => {
    await f.service.catchUp();
    const { encounters } = await provider.listEncounters({ patientId });
    expect(encounters.map((e) => e.patientId)).toEqual([patientId, patientId]);
    expect(encounters[0]?.encounterId).toBe(encounterId);
    const reads = (await f.accessEvents()).filter(
      (e) => e.resourceType === 'Encounter' && e.outcome === AccessOutcome.ACCESS_OUTCOME_ALLOWED,
    );
    expect(reads.slice(-2).map((e) => e.resourceId)).toEqual(encounters.map((e) => e.encounterId));
    await expect(frontDesk.listEncounters({ patientId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
  });
});
