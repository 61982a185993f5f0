import { randomUUID } from 'node:crypto';
import { AccessAction, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import {
  findCanariesInText,
  makeCanaries,
  scanPostgres,
  type Canary,
  type CanaryPatient,
} from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFhir } from '../../fhir/testing/fhir-schema.js';
import { startRecordFixture, type RecordClient, type RecordFixture } from '../../testing/service-fixture.js';
import { neurotoxinUse, opening, registration } from '../../testing/requests.js';

// PHI seeded through the API must be ciphertext in every table (events, outbox, read models,
// blind index), searchable through HMAC tokens only, exported as valid FHIR, and gone for good
// once the patient is crypto-shredded.
describe('patient-record: PHI at rest, search, FHIR export, shredding', () => {
  let f: RecordFixture;
  const tenantId = randomUUID();
  const canary: CanaryPatient = makeCanaries();
  const lot = `LOT${randomUUID().slice(0, 8).toUpperCase()}`;
  const lotCanary: Canary = { field: 'note', value: lot, needles: [lot] };
  let frontDesk: RecordClient;
  let provider: RecordClient;
  let patientId = '';
  let otherId = '';
  let encounterId = '';

  beforeAll(async () => {
    f = await startRecordFixture();
    frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    provider = f.clientAs({ tenantId, role: 'provider' });
    ({ patientId } = await frontDesk.registerPatient(registration(canary)));
    ({ patientId: otherId } = await frontDesk.registerPatient({
      demographics: {
        name: { given: ['Olivia'], family: 'Brennan', prefix: [], suffix: [], preferred: 'Liv' },
        dateOfBirth: '1988-03-14',
        gender: 2,
        birthSex: 0,
      },
      contact: { phone: '+14155550142', email: '', address: undefined },
    }));
    ({ encounterId } = await provider.openEncounter(opening(patientId)));
    await provider.recordTreatmentNote({ encounterId, text: canary.note });
    await provider.recordProductUse(neurotoxinUse(encounterId, { lotNumber: lot }));
    await provider.signChart({ encounterId });
    await provider.signAddendum({ encounterId, text: `Follow-up call: ${canary.note}` });
    await f.service.catchUp();
  });

  afterAll(async () => {
    await f?.close();
  });

  it('stores no PHI in plain text in any table of the schema', async () => {
    const hits = await scanPostgres(f.db.adminUrl, [...canary.canaries, lotCanary], {
      schemas: [f.db.schema],
    });
    expect(hits).toEqual([]);
    // The scan covered the tables that matter: they are not empty.
    for (const table of [
      'events',
      'outbox',
      'patient_directory',
      'patient_search_tokens',
      'encounter_directory',
      'encounter_charts',
    ]) {
      expect((await f.rows(table)).length, table).toBeGreaterThan(0);
    }
  });

  it('keeps PHI out of outbox payloads and headers (integration and access events)', async () => {
    const outbox = await f.rows('outbox');
    expect(outbox.length).toBeGreaterThan(5);
    for (const row of outbox) {
      const text = `${(row.payload as Buffer).toString('latin1')} ${JSON.stringify(row.headers)}`;
      expect(findCanariesInText(text, [...canary.canaries, lotCanary], 'outbox')).toEqual([]);
    }
  });

  it('decrypts for an allowed reader', async () => {
    const { patient } = await provider.getPatient({ patientId });
    expect(patient?.demographics?.name?.family).toBe(canary.familyName);
    expect(patient?.phone).toBe(canary.phone);
    const { encounter } = await provider.getEncounter({ encounterId });
    expect(encounter?.notes[0]?.text).toBe(canary.note);
    expect(encounter?.productUses[0]?.lotNumber).toBe(lot);
    expect(encounter?.productUses[0]?.injections.map((i) => i.site)).toEqual(['glabella', 'forehead']);
  });

  it('finds patients by name prefix, phone and date of birth, and audits each result', async () => {
    const byName = await frontDesk.searchPatients({
      namePrefix: 'bren',
      phone: '',
      dateOfBirth: '',
      pageSize: 0,
      pageToken: '',
    });
    expect(byName.patients.map((p) => p.patientId)).toEqual([otherId]);
    expect(byName.patients[0]?.name?.family).toBe('Brennan');
    expect(byName.patients[0]?.phone).toBe('+14155550142');
    const byPreferred = await frontDesk.searchPatients({
      namePrefix: 'liv brenn',
      phone: '',
      dateOfBirth: '',
      pageSize: 0,
      pageToken: '',
    });
    expect(byPreferred.patients.map((p) => p.patientId)).toEqual([otherId]);
    const typed = canary.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
    const byPhone = await frontDesk.searchPatients({
      namePrefix: '',
      phone: typed,
      dateOfBirth: '',
      pageSize: 0,
      pageToken: '',
    });
    expect(byPhone.patients.map((p) => p.patientId)).toEqual([patientId]);
    const byBirth = await frontDesk.searchPatients({
      namePrefix: canary.familyName.slice(0, 9),
      phone: '',
      dateOfBirth: canary.dateOfBirth,
      pageSize: 0,
      pageToken: '',
    });
    expect(byBirth.patients.map((p) => p.patientId)).toEqual([patientId]);
    const none = await frontDesk.searchPatients({
      namePrefix: 'bren',
      phone: '',
      dateOfBirth: '1999-01-01',
      pageSize: 0,
      pageToken: '',
    });
    expect(none.patients).toEqual([]);
    const searches = (await f.accessEvents()).filter((e) => e.action === AccessAction.ACCESS_ACTION_SEARCH);
    expect(searches.map((e) => e.subjectId).sort()).toEqual([otherId, otherId, patientId, patientId].sort());
  });

  it('refuses a search too short to be selective, with a clear reason', async () => {
    await expect(
      frontDesk.searchPatients({ namePrefix: 'ol', phone: '', dateOfBirth: '', pageSize: 0, pageToken: '' }),
    ).rejects.toMatchObject({ kind: 'validation', reason: 'SEARCH_TOO_SHORT' });
    await expect(
      frontDesk.searchPatients({
        namePrefix: '',
        phone: '',
        dateOfBirth: '31/12/1990',
        pageSize: 0,
        pageToken: '',
      }),
    ).rejects.toMatchObject({ kind: 'validation', reason: 'INVALID_DATE_OF_BIRTH' });
  });

  it('exports a FHIR R4 Bundle that validates, recorded as a disclosure', async () => {
    const { bundleJson } = await provider.exportPatientFhir({ patientId });
    const bundle = JSON.parse(bundleJson) as {
      resourceType: string;
      entry: { resource: { resourceType: string } }[];
    };
    expect(validateFhir(bundle)).toEqual({ valid: true, errors: [] });
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Procedure']));
    for (const e of bundle.entry) expect(validateFhir(e.resource)).toEqual({ valid: true, errors: [] });
    expect(bundleJson).toContain(lot);
    const disclosures = (await f.accessEvents()).filter(
      (e) => e.action === AccessAction.ACCESS_ACTION_DISCLOSE,
    );
    expect(disclosures).toEqual([
      expect.objectContaining({
        subjectId: patientId,
        resourceType: 'Bundle',
        outcome: AccessOutcome.ACCESS_OUTCOME_ALLOWED,
        purpose: AccessPurpose.ACCESS_PURPOSE_TREATMENT,
        userRole: 'provider',
      }),
    ]);
  });

  it('after crypto-shredding: reads fail, search omits, read models and tokens are purged', async () => {
    const eventsBefore = (await f.rows('events')).length;
    const tokensOf = async (id: string) =>
      (await f.rows('patient_search_tokens')).filter((r) => r.patient_id === id);
    expect((await tokensOf(patientId)).length).toBeGreaterThan(0);

    await f.service.shredPatient(tenantId, patientId);

    await expect(provider.getPatient({ patientId })).rejects.toMatchObject({
      kind: 'precondition',
      reason: 'KEY_SHREDDED',
    });
    await expect(provider.getEncounter({ encounterId })).rejects.toMatchObject({
      kind: 'precondition',
      reason: 'KEY_SHREDDED',
    });
    await expect(provider.exportPatientFhir({ patientId })).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    expect(await tokensOf(patientId)).toEqual([]);
    expect((await f.rows('patient_directory')).map((r) => r.patient_id)).toEqual([otherId]);
    expect((await f.rows('encounter_directory')).filter((r) => r.patient_id === patientId)).toEqual([]);
    expect((await f.rows('encounter_charts')).filter((r) => r.patient_id === patientId)).toEqual([]);
    const search = await frontDesk.searchPatients({
      namePrefix: '',
      phone: canary.phone,
      dateOfBirth: '',
      pageSize: 0,
      pageToken: '',
    });
    expect(search.patients).toEqual([]);
    // The log is untouched (append-only) and its readers keep going past the erased patient.
    expect((await f.rows('events')).length).toBe(eventsBefore);
    const { patientId: later } = await frontDesk.registerPatient({
      demographics: {
        name: { given: ['Nadia'], family: 'Okafor', prefix: [], suffix: [], preferred: '' },
        dateOfBirth: '1990-07-01',
        gender: 2,
        birthSex: 0,
      },
      contact: undefined,
    });
    await f.service.catchUp();
    const found = await frontDesk.searchPatients({
      namePrefix: 'okaf',
      phone: '',
      dateOfBirth: '',
      pageSize: 0,
      pageToken: '',
    });
    expect(found.patients.map((p) => p.patientId)).toEqual([later]);
  });
});
