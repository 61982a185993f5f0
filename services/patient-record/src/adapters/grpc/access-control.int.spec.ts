import { randomUUID } from 'node:crypto';
import { AccessAction, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import { EncounterStatus } from '@medspa/contracts/medspa.patient_record.v1';
import { makeCanaries } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordFixture, type RecordClient, type RecordFixture } from '../../testing/service-fixture.js';
import { neurotoxinUse, opening, registration } from '../../testing/requests.js';

// Minimum necessary from the caller's token, tenants that never see each other, bad input that
// writes nothing, and an access event for every read of PHI, allowed or denied.
describe('patient-record: who may read and write what', () => {
  let f: RecordFixture;
  const tenantId = randomUUID();
  const canary = makeCanaries();
  let frontDesk: RecordClient;
  let provider: RecordClient;
  let billing: RecordClient;
  let patientId = '';
  let encounterId = '';
  let registeredAt = new Date();
  let draftedAt = new Date();

  const eventCount = async () => (await f.rows('events')).length;
  /** Runs `call`, expects it to fail with `match`, and checks that no event was appended. */
  async function refusedWithoutWrite(call: () => Promise<unknown>, match: Record<string, unknown>) {
    const before = await eventCount();
    await expect(call()).rejects.toMatchObject(match);
    expect(await eventCount()).toBe(before);
  }

  beforeAll(async () => {
    f = await startRecordFixture();
    frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    provider = f.clientAs({ tenantId, role: 'provider' });
    billing = f.clientAs({ tenantId, role: 'billing' });
    ({ patientId } = await frontDesk.registerPatient(registration(canary)));
    registeredAt = new Date();
    ({ encounterId } = await provider.openEncounter(opening(patientId)));
    await provider.recordTreatmentNote({ encounterId, text: canary.note });
    draftedAt = new Date();
  });

  afterAll(async () => {
    await f?.close();
  });

  it('front desk sees demographics and contact details but not chart notes; the denial is audited', async () => {
    const { patient } = await frontDesk.getPatient({ patientId });
    expect(patient?.demographics?.name?.family).toBe(canary.familyName);
    expect(patient).toMatchObject({ phone: canary.phone, email: canary.email, contactIncluded: true });
    await expect(frontDesk.getEncounter({ encounterId })).rejects.toMatchObject({
      kind: 'forbidden',
      reason: 'PERMISSION_DENIED',
    });
    const denied = (await f.accessEvents()).filter((e) => e.outcome === AccessOutcome.ACCESS_OUTCOME_DENIED);
    expect(denied).toEqual([
      expect.objectContaining({
        userRole: 'front_desk',
        subjectId: patientId,
        resourceType: 'Encounter',
        resourceId: encounterId,
        action: AccessAction.ACCESS_ACTION_READ,
        denialReason: 'PERMISSION_DENIED',
      }),
    ]);
  });

  it('billing gets name and address for receipts, no contact details and no notes', async () => {
    const { patient } = await billing.getPatient({ patientId });
    expect(patient?.demographics?.name?.family).toBe(canary.familyName);
    expect(patient?.address?.city).toBe('Springfield');
    expect(patient).toMatchObject({ phone: '', email: '', contactIncluded: false, consents: [] });
    await expect(billing.getEncounter({ encounterId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
    await expect(billing.exportPatientFhir({ patientId })).rejects.toMatchObject({
      reason: 'PERMISSION_DENIED',
    });
    const reads = (await f.accessEvents()).filter((e) => e.userRole === 'billing');
    expect(reads.map((e) => [e.resourceType, e.outcome, e.purpose])).toEqual([
      ['Patient', AccessOutcome.ACCESS_OUTCOME_ALLOWED, AccessPurpose.ACCESS_PURPOSE_PAYMENT],
      ['Encounter', AccessOutcome.ACCESS_OUTCOME_DENIED, AccessPurpose.ACCESS_PURPOSE_PAYMENT],
      ['Bundle', AccessOutcome.ACCESS_OUTCOME_DENIED, AccessPurpose.ACCESS_PURPOSE_PAYMENT],
    ]);
  });

  it('a patient reads only their own record', async () => {
    const self = f.clientAs({ tenantId, role: 'patient', userId: patientId });
    expect((await self.getPatient({ patientId })).patient?.patientId).toBe(patientId);
    expect((await self.getEncounter({ encounterId })).encounter?.notes[0]?.text).toBe(canary.note);
    const stranger = f.clientAs({ tenantId, role: 'patient' });
    await expect(stranger.getPatient({ patientId })).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
    await expect(
      stranger.searchPatients({
        namePrefix: canary.familyName,
        phone: '',
        dateOfBirth: '',
        pageSize: 0,
        pageToken: '',
      }),
    ).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
  });

  it('another tenant gets NOT_FOUND for every id, and writes nothing', async () => {
    const other = f.clientAs({ tenantId: randomUUID(), role: 'provider' });
    await expect(other.getPatient({ patientId })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(other.getEncounter({ encounterId })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(other.exportPatientFhir({ patientId })).rejects.toMatchObject({ kind: 'not_found' });
    await refusedWithoutWrite(() => other.recordTreatmentNote({ encounterId, text: 'x' }), {
      kind: 'not_found',
    });
    await refusedWithoutWrite(() => other.openEncounter(opening(patientId)), { kind: 'not_found' });
  });

  it('refuses malformed contact details and dates of birth with clear reasons', async () => {
    const eventsAtStart = await eventCount();
    const bad = (over: (r: ReturnType<typeof registration>) => void) => {
      const r = registration(makeCanaries());
      over(r);
      return () => frontDesk.registerPatient(r);
    };
    await refusedWithoutWrite(
      bad((r) => (r.contact!.phone = '555-CALL-NOW')),
      { kind: 'validation', reason: 'INVALID_PHONE' },
    );
    await refusedWithoutWrite(
      bad((r) => (r.contact!.email = 'not-an-email')),
      { kind: 'validation', reason: 'INVALID_EMAIL' },
    );
    await refusedWithoutWrite(
      bad((r) => (r.demographics!.dateOfBirth = '1990-02-30')),
      {
        kind: 'validation',
        reason: 'INVALID_DATE_OF_BIRTH',
      },
    );
    await refusedWithoutWrite(
      () =>
        frontDesk.changeContactDetails({
          patientId,
          contact: { phone: '12', email: '', address: undefined },
        }),
      {
        reason: 'INVALID_PHONE',
      },
    );
    expect(await eventCount()).toBe(eventsAtStart);
  });

  it('refuses an unknown site code and a neurotoxin without a lot number', async () => {
    const eventsAtStart = await eventCount();
    await refusedWithoutWrite(
      () =>
        provider.recordProductUse(
          neurotoxinUse(encounterId, { injections: [{ site: 'left_elbow', amount: 4, point: undefined }] }),
        ),
      { kind: 'validation', reason: 'UNKNOWN_SITE_CODE' },
    );
    await refusedWithoutWrite(
      () => provider.recordProductUse(neurotoxinUse(encounterId, { lotNumber: '' })),
      {
        kind: 'validation',
        reason: 'LOT_NUMBER_REQUIRED',
      },
    );
    await refusedWithoutWrite(() => frontDesk.recordProductUse(neurotoxinUse(encounterId)), {
      reason: 'PERMISSION_DENIED',
    });
    expect(await eventCount()).toBe(eventsAtStart);
  });

  it('locks a signed chart: changes are refused, addenda are taken', async () => {
    await provider.recordProductUse(neurotoxinUse(encounterId));
    await provider.signChart({ encounterId });
    await refusedWithoutWrite(() => provider.recordTreatmentNote({ encounterId, text: 'late edit' }), {
      kind: 'precondition',
      reason: 'CHART_LOCKED',
    });
    await refusedWithoutWrite(() => provider.recordProductUse(neurotoxinUse(encounterId)), {
      reason: 'CHART_LOCKED',
    });
    const { addendumId } = await provider.signAddendum({
      encounterId,
      text: 'Two-week review: symmetric result.',
    });
    const { encounter } = await provider.getEncounter({ encounterId });
    expect(encounter?.status).toBe(EncounterStatus.ENCOUNTER_STATUS_SIGNED);
    expect(encounter?.addenda.map((a) => a.addendumId)).toEqual([addendumId]);
  });

  it('compliance replays records as of an instant, and only through the AsOf calls', async () => {
    const compliance = f.clientAs({ tenantId, role: 'compliance_officer' });
    await expect(compliance.getPatient({ patientId })).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
    await frontDesk.changeContactDetails({
      patientId,
      contact: { phone: '+14155550199', email: '', address: undefined },
    });
    const then = await compliance.getPatientAsOf({ patientId, asOf: registeredAt });
    expect(then.patient?.phone).toBe(canary.phone);
    const now = await compliance.getPatientAsOf({ patientId, asOf: new Date() });
    expect(now.patient?.phone).toBe('+14155550199');
    const draft = await compliance.getEncounterAsOf({ encounterId, asOf: draftedAt });
    expect(draft.encounter?.status).toBe(EncounterStatus.ENCOUNTER_STATUS_OPEN);
    expect(draft.encounter?.notes.map((n) => n.text)).toEqual([canary.note]);
    expect(draft.encounter?.addenda).toEqual([]);
    // Before it was opened the encounter did not exist.
    await expect(compliance.getEncounterAsOf({ encounterId, asOf: registeredAt })).rejects.toMatchObject({
      reason: 'ENCOUNTER_NOT_FOUND',
    });
    const reads = (await f.accessEvents()).filter(
      (e) => e.userRole === 'compliance_officer' && e.outcome === AccessOutcome.ACCESS_OUTCOME_ALLOWED,
    );
    expect(reads.every((e) => e.purpose === AccessPurpose.ACCESS_PURPOSE_COMPLIANCE)).toBe(true);
    expect(reads.length).toBe(3);
  });

  it('marks reads under break-glass', async () => {
    const emergency = f.clientAs({ tenantId, role: 'provider', breakGlass: true });
    await emergency.getEncounter({ encounterId });
    const last = (await f.accessEvents()).at(-1);
    expect(last).toMatchObject({
      breakGlass: true,
      purpose: AccessPurpose.ACCESS_PURPOSE_EMERGENCY,
      resourceId: encounterId,
    });
  });
});
