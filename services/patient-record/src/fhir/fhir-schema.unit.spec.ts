import { beforeAll, describe, expect, it } from 'vitest';
import { exportPatientRecord } from './bundle.js';
import { fhirSchemaDialect, validateFhir } from './testing/fhir-schema.js';
import { fixtureRecord } from './testing/record.js';

const bundle = exportPatientRecord(fixtureRecord(), { exportedAt: '2025-07-01T12:00:00Z' });
// Plain JSON from here on: the faults below are deliberately not what the FHIR types allow.
type Json = { resourceType: string } & Record<string, unknown>;
const resources = (bundle.entry ?? []).map((e) => e.resource as unknown as Json);
const byType = (type: string) => resources.filter((r) => r.resourceType === type);
const clone = <T>(x: T): T => structuredClone(x);

describe('FHIR R4 export validates against the official JSON schema', () => {
  // Compiling the schema takes seconds: once, before the clock of any single test starts.
  beforeAll(() => {
    validateFhir({ resourceType: 'Bundle' });
  }, 60_000);

  it('reads a schema that declares draft-06 (Ajv runs it with the draft-06 meta-schema)', () => {
    expect(fhirSchemaDialect()).toBe('http://json-schema.org/draft-06/schema#');
  });

  it('exports every kind of resource the record holds', () => {
    expect(new Set(resources.map((r) => r.resourceType))).toEqual(
      new Set([
        'Patient',
        'AllergyIntolerance',
        'MedicationStatement',
        'Consent',
        'Encounter',
        'Procedure',
        'Observation',
      ]),
    );
  });

  it.each(resources.map((r) => [`${r.resourceType}/${String(r.id)}`, r] as const))(
    '%s is valid R4',
    (_name, resource) => {
      expect(validateFhir(resource)).toEqual({ valid: true, errors: [] });
    },
  );

  it('the whole Bundle is valid R4, entries included', () => {
    expect(validateFhir(bundle)).toEqual({ valid: true, errors: [] });
  });

  // Each is a valid exported resource with one deliberate fault: the validator must catch it,
  // or the tests above prove nothing.
  const patient = byType('Patient')[0]!;
  const procedure = byType('Procedure')[1]!;
  const consent = byType('Consent')[0]!;
  const faults: [string, Json][] = [
    ['a Patient whose gender is not an AdministrativeGender code', { ...clone(patient), gender: 'femme' }],
    ['a Patient whose birthDate is not a FHIR date', { ...clone(patient), birthDate: '12/04/1988' }],
    ['a Patient with an element R4 does not define', { ...clone(patient), sexAtBirth: 'F' }],
    ['a Procedure without its required subject', { ...clone(procedure), subject: undefined }],
    ['a Consent dated with a local time (no zone)', { ...clone(consent), dateTime: '2025-06-02T16:00:00' }],
    ['a resource type R4 does not have', { resourceType: 'Bot', name: 'x' }],
  ];
  it.each(faults)('rejects %s', (_name, resource) => {
    expect(validateFhir(resource).valid).toBe(false);
  });

  it('rejects a Bundle that carries one invalid entry', () => {
    const broken = clone(bundle);
    (broken.entry![0]!.resource as { gender: string }).gender = 'femme';
    expect(validateFhir(broken).valid).toBe(false);
  });
});
