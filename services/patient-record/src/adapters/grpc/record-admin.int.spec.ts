import { randomUUID } from 'node:crypto';
import { Gender, type Demographics } from '@medspa/contracts/medspa.patient_record.v1';
import { makeCanaries } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { refusedWithoutWrite } from '../../testing/refusals.js';
import { opening, registration } from '../../testing/requests.js';
import { startRecordFixture, type RecordClient, type RecordFixture } from '../../testing/service-fixture.js';

const renamed = (over: Partial<Demographics> = {}): Demographics => ({
  name: { given: ['Ana'], family: 'Silva-Moreau', prefix: [], suffix: [], preferred: '' },
  dateOfBirth: '1988-04-12',
  gender: Gender.GENDER_FEMALE,
  birthSex: 0,
  ...over,
});

// Demographics changes, merging duplicates (a trail on both records) and erasure by
// crypto-shredding: who may, what is written, and bad input that writes nothing.
describe('patient-record: demographics, merge, erasure', () => {
  let f: RecordFixture;
  const tenantId = randomUUID();
  let frontDesk: RecordClient;
  let owner: RecordClient;
  let patientId = '';
  let duplicateId = '';

  beforeAll(async () => {
    f = await startRecordFixture();
    frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    owner = f.clientAs({ tenantId, role: 'owner' });
    ({ patientId } = await frontDesk.registerPatient(registration(makeCanaries())));
    ({ patientId: duplicateId } = await frontDesk.registerPatient(registration(makeCanaries())));
  });

  afterAll(async () => {
    await f?.close();
  });

  it('changes demographics; the integration event carries the id only', async () => {
    await frontDesk.changeDemographics({ patientId, demographics: renamed() });
    const { patient } = await frontDesk.getPatient({ patientId });
    expect(patient?.demographics?.name?.family).toBe('Silva-Moreau');
    const changed = (await f.outbox()).filter((m) => m.type.endsWith('PatientDemographicsChanged'));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.payloadText).not.toContain('Silva-Moreau');
  });

  it('refuses a malformed date of birth, a missing name, billing, and another tenant', async () => {
    await refusedWithoutWrite(
      f,
      () => frontDesk.changeDemographics({ patientId, demographics: renamed({ dateOfBirth: '1988-13-01' }) }),
      { kind: 'validation', reason: 'INVALID_DATE_OF_BIRTH' },
    );
    await refusedWithoutWrite(
      f,
      () => frontDesk.changeDemographics({ patientId, demographics: renamed({ dateOfBirth: '2999-01-01' }) }),
      { kind: 'validation', reason: 'INVALID_DATE_OF_BIRTH' },
    );
    await refusedWithoutWrite(f, () => frontDesk.changeDemographics({ patientId, demographics: undefined }), {
      kind: 'validation',
      reason: 'MISSING_FIELD',
    });
    await refusedWithoutWrite(
      f,
      () =>
        f.clientAs({ tenantId, role: 'billing' }).changeDemographics({ patientId, demographics: renamed() }),
      { reason: 'PERMISSION_DENIED' },
    );
    const other = f.clientAs({ tenantId: randomUUID(), role: 'front_desk' });
    await refusedWithoutWrite(f, () => other.changeDemographics({ patientId, demographics: renamed() }), {
      kind: 'not_found',
      reason: 'PATIENT_NOT_FOUND',
    });
    const { patient } = await frontDesk.getPatient({ patientId });
    expect(patient?.demographics?.dateOfBirth).toBe('1988-04-12');
  });

  it('merges a duplicate with a trail on both records; the duplicate then refuses changes', async () => {
    await refusedWithoutWrite(
      f,
      () =>
        f.clientAs({ tenantId, role: 'patient', userId: patientId }).mergePatients({
          survivorPatientId: patientId,
          duplicatePatientId: duplicateId,
        }),
      { reason: 'PERMISSION_DENIED' },
    );
    await refusedWithoutWrite(
      f,
      () => frontDesk.mergePatients({ survivorPatientId: patientId, duplicatePatientId: patientId }),
      { kind: 'validation', reason: 'CANNOT_MERGE_INTO_SELF' },
    );
    const other = f.clientAs({ tenantId: randomUUID(), role: 'front_desk' });
    await refusedWithoutWrite(
      f,
      () => other.mergePatients({ survivorPatientId: patientId, duplicatePatientId: duplicateId }),
      { kind: 'not_found' },
    );

    // A visit charted on the duplicate before anyone noticed: after the merge it is this person's.
    const provider = f.clientAs({ tenantId, role: 'provider' });
    const { encounterId } = await provider.openEncounter(opening(duplicateId));
    await frontDesk.mergePatients({ survivorPatientId: patientId, duplicatePatientId: duplicateId });
    // The encounter directory is a projection: wait until it lists the visit.
    await vi.waitFor(
      async () => {
        const { bundleJson } = await provider.exportPatientFhir({ patientId });
        const bundle = JSON.parse(bundleJson) as {
          entry: { resource: { resourceType: string; id: string; subject?: { reference: string } } }[];
        };
        const visit = bundle.entry.find((e) => e.resource.resourceType === 'Encounter');
        expect(visit?.resource).toMatchObject({
          id: encounterId,
          subject: { reference: `urn:uuid:${patientId}` },
        });
      },
      { timeout: 10_000, interval: 100 },
    );
    // A retry (the caller timed out) changes nothing.
    await refusedWithoutWrite(
      f,
      async () => {
        await frontDesk.mergePatients({ survivorPatientId: patientId, duplicatePatientId: duplicateId });
        throw Object.assign(new Error('retried'), { reason: 'RETRIED' });
      },
      { reason: 'RETRIED' },
    );
    const survivor = (await frontDesk.getPatient({ patientId })).patient;
    expect(survivor?.mergedFrom).toEqual([expect.objectContaining({ patientId: duplicateId })]);
    const duplicate = (await frontDesk.getPatient({ patientId: duplicateId })).patient;
    expect(duplicate).toMatchObject({ active: false, mergedIntoPatientId: patientId });
    await refusedWithoutWrite(
      f,
      () => frontDesk.changeDemographics({ patientId: duplicateId, demographics: renamed() }),
      { kind: 'precondition', reason: 'PATIENT_MERGED' },
    );
    const merged = (await f.outbox()).filter((m) => m.type.endsWith('PatientMerged'));
    expect(merged.map((m) => m.key).sort()).toEqual(
      [`patient-${duplicateId}`, `patient-${patientId}`].sort(),
    );
  });

  it('erases a patient by crypto-shredding, for the owner only, announcing it with ids only', async () => {
    await refusedWithoutWrite(f, () => frontDesk.erasePatient({ patientId }), {
      reason: 'PERMISSION_DENIED',
    });
    const other = f.clientAs({ tenantId: randomUUID(), role: 'owner' });
    await refusedWithoutWrite(f, () => other.erasePatient({ patientId }), { kind: 'not_found' });

    await owner.erasePatient({ patientId });
    await expect(frontDesk.getPatient({ patientId })).rejects.toMatchObject({
      kind: 'precondition',
      reason: 'KEY_SHREDDED',
    });
    const erased = (await f.outbox()).filter((m) => m.type.endsWith('PatientErased'));
    expect(erased.map((m) => m.key)).toEqual([`patient-${patientId}`]);
    expect((await f.rows('patient_directory')).map((r) => r.patient_id)).not.toContain(patientId);
    // A retry after the keys are gone writes nothing more; changes are refused.
    await refusedWithoutWrite(
      f,
      async () => {
        await owner.erasePatient({ patientId });
        throw Object.assign(new Error('retried'), { reason: 'RETRIED' });
      },
      { reason: 'RETRIED' },
    );
    await refusedWithoutWrite(
      f,
      () =>
        frontDesk.changeContactDetails({ patientId, contact: { phone: '', email: '', address: undefined } }),
      { kind: 'precondition', reason: 'PATIENT_ERASED' },
    );
  });
});
