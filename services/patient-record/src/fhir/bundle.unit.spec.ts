import type { Consent, Device, Medication, Patient, Procedure } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { ids } from '../domain/test-fixtures/ids.js';
import { exportPatientRecord } from './bundle.js';
import { fixtureRecord } from './testing/record.js';
import { codeSystems, extensions, identifierSystems } from './systems.js';

const exportedAt = '2025-07-01T12:00:00Z';
const bundle = exportPatientRecord(fixtureRecord(), { exportedAt });
const resources = (bundle.entry ?? []).map((e) => e.resource!);
const find = <T>(type: string, id?: string) =>
  resources.find((r) => r.resourceType === type && (id === undefined || r.id === id)) as T;

function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'reference' && typeof v === 'string' ? [v] : referencesIn(v),
  );
}

describe('FHIR export: the Bundle', () => {
  it('is a collection stamped with the export time', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: exportedAt });
  });

  it('has unique fullUrls, and every urn:uuid reference resolves inside it', () => {
    const fullUrls = (bundle.entry ?? []).map((e) => e.fullUrl);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    const refs = referencesIn(resources).filter((r) => r.startsWith('urn:uuid:'));
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(fullUrls).toContain(ref);
  });

  it('is deterministic: the same record exports the same ids', () => {
    expect(exportPatientRecord(fixtureRecord(), { exportedAt })).toEqual(bundle);
  });

  it('refuses a chart that belongs to someone else, and a bad export time', () => {
    const record = fixtureRecord();
    const stranger = structuredClone(record.encounters[0]!);
    stranger.chart.patientId = ids.other;
    expect(() => exportPatientRecord({ ...record, encounters: [stranger] }, { exportedAt })).toThrow(
      expect.objectContaining({ reason: 'EXPORT_RECORD_MISMATCH' }),
    );
    expect(() => exportPatientRecord(record, { exportedAt: 'yesterday' })).toThrow(
      expect.objectContaining({ reason: 'INVALID_INSTANT' }),
    );
  });
});

describe('FHIR export: mapping decisions', () => {
  it('Patient: official and usual names, mobile phone, US Core birth sex, the merge trail', () => {
    const p = find<Patient>('Patient');
    expect(p.name).toEqual([
      { use: 'official', family: 'Silva', given: ['Ana', 'Maria'] },
      { use: 'usual', given: ['Ana'] },
    ]);
    expect(p.telecom).toContainEqual({ system: 'phone', value: '+14155550123', use: 'mobile' });
    expect(p.extension).toEqual([
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' },
    ]);
    expect(p.link).toEqual([
      {
        other: { type: 'Patient', identifier: { system: identifierSystems.patient, value: ids.duplicate } },
        type: 'replaces',
      },
    ]);
  });

  it('product uses carry lot and expiry on a contained Medication (toxin) or Device (filler)', () => {
    const toxin = find<Procedure>('Procedure', ids.productUse);
    const med = toxin.contained?.[0] as Medication;
    expect(med).toMatchObject({
      resourceType: 'Medication',
      batch: { lotNumber: 'C1234A', expirationDate: '2026-04' },
    });
    expect(toxin.usedReference?.[0]?.reference).toBe(`#${med.id}`);
    const filler = find<Procedure>('Procedure', ids.productUse2);
    expect(filler.contained?.[0] as Device).toMatchObject({ resourceType: 'Device', lotNumber: 'VB20391' });
  });

  it('sites are coded from our code system, with the amounts at each site summed', () => {
    const filler = find<Procedure>('Procedure', ids.productUse2);
    expect(
      filler.bodySite?.map((s) => [s.coding?.[0]?.code, s.extension?.[0]?.valueQuantity?.value]),
    ).toEqual([
      ['lip_upper', 0.5],
      ['lip_lower', 0.4],
    ]);
    expect(filler.bodySite?.[0]?.coding?.[0]?.system).toBe(codeSystems.injectionSite);
    expect(filler.extension?.[0]).toMatchObject({
      url: extensions.productQuantity,
      valueQuantity: { value: 1, code: 'mL' },
    });
  });

  it('the signed note and its addendum sit on the treatment Procedure, and partOf links the product uses', () => {
    const procedures = resources.filter((r): r is Procedure => r.resourceType === 'Procedure');
    const treatment = procedures.find(
      (p) => p.partOf === undefined && p.encounter?.reference === `urn:uuid:${ids.encounter}`,
    )!;
    expect(treatment.status).toBe('completed');
    expect(treatment.note?.map((n) => n.extension?.[0]?.valueCode)).toEqual(['treatment-note', 'addendum']);
    const children = procedures.filter((p) => p.partOf?.[0]?.reference === `urn:uuid:${treatment.id}`);
    expect(children.map((c) => c.id)).toEqual([ids.productUse, ids.productUse2]);
  });

  it("an unsigned chart exports as in progress; a duplicate's chart is filed under the survivor", () => {
    const drafts = resources.filter((r) => r.resourceType === 'Encounter' && r.status === 'in-progress');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ subject: { reference: `urn:uuid:${ids.patient}` } });
  });

  it('a withdrawn consent is inactive, its provision ends, the representative signed, the hash rides along', () => {
    const withdrawn = resources.find(
      (r): r is Consent => r.resourceType === 'Consent' && r.status === 'inactive',
    )!;
    expect(withdrawn.scope.coding?.[0]?.code).toBe('patient-privacy');
    expect(withdrawn.provision?.period?.end).toBe('2025-06-20T09:00:00Z');
    expect(withdrawn.performer?.[0]).toMatchObject({ type: 'RelatedPerson', display: 'Rita Silva' });
    expect(withdrawn.sourceAttachment?.extension?.[0]).toMatchObject({ url: extensions.documentSha256 });
  });

  it('resolved allergies and stopped medications keep their history', () => {
    expect(find('AllergyIntolerance')).toMatchObject({ clinicalStatus: { coding: [{ code: 'resolved' }] } });
    expect(find('MedicationStatement')).toMatchObject({
      status: 'stopped',
      effectivePeriod: { start: '2020' },
    });
  });
});
