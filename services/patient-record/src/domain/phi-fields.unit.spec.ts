import { describe, expect, it } from 'vitest';
import { findCanariesInText, makeCanaries } from '@medspa/testing';
import { encounterDecider } from './encounter/decide.js';
import { patientDecider } from './patient/decide.js';
import { phiFields, phiFieldsOf, type PatientRecordEvent } from './phi-fields.js';
import { chartSigned, examRecorded, neurotoxin, opened } from './test-fixtures/encounter.js';
import { ids } from './test-fixtures/ids.js';
import { registered } from './test-fixtures/patient.js';

// What the codec would leave in clear: the event minus its PHI fields.
function clearPart(event: PatientRecordEvent): string {
  const data = { ...(event.data as Record<string, unknown>) };
  for (const field of phiFields[event.type]) delete data[field];
  return JSON.stringify({ type: event.type, data });
}

describe('PHI fields', () => {
  const canary = makeCanaries();

  it('hold every PHI value a Patient and a chart carry, so nothing is left in clear', () => {
    const patient = patientDecider.decide(
      {
        type: 'RegisterPatient',
        patientId: ids.patient,
        demographics: {
          name: { given: [canary.givenName], family: canary.familyName },
          dateOfBirth: canary.dateOfBirth,
          gender: 'female',
        },
        contact: {
          phone: canary.phone,
          email: canary.email,
          address: { line: [canary.address], city: 'Springfield', country: 'US' },
        },
        at: ids.at(9),
      },
      patientDecider.initialState(),
    );
    const chart = [opened, examRecorded].reduce(encounterDecider.evolve, encounterDecider.initialState());
    const notes = encounterDecider.decide(
      {
        type: 'RecordTreatmentNote',
        noteId: ids.note,
        authorId: ids.provider,
        text: canary.note,
        at: ids.at(18),
      },
      chart,
    );
    const product = encounterDecider.decide(
      { type: 'RecordProductUse', productUseId: ids.productUse, productUse: neurotoxin, at: ids.at(18) },
      chart,
    );
    const events: PatientRecordEvent[] = [...patient, ...notes, ...product];
    expect(findCanariesInText(JSON.stringify(events), canary), 'the canaries are in the events').not.toEqual(
      [],
    );
    expect(findCanariesInText(events.map(clearPart).join('\n'), canary)).toEqual([]);
    // The product, lot and sites (health information) leave no trace in clear either.
    const productClear = clearPart(product[0]!);
    for (const secret of ['Botox', neurotoxin.lotNumber!, 'glabella'])
      expect(productClear).not.toContain(secret);
  });

  it('leave ids and instants in clear, for routing and ordering without keys', () => {
    expect(clearPart(chartSigned)).toContain(ids.encounter);
    expect(clearPart(registered)).toContain(registered.data.at);
    expect(clearPart(registered)).toContain(ids.patient);
  });

  it('name only fields the event has', () => {
    for (const [type, fields] of Object.entries(phiFields)) {
      expect(
        fields.every((f) => /^[a-z][A-Za-z0-9]*$/.test(f)),
        type,
      ).toBe(true);
    }
    expect(phiFieldsOf('PatientRegistered')).toContain('dateOfBirth');
    expect(phiFieldsOf('SomethingElse')).toBeUndefined();
    expect(phiFieldsOf('toString')).toBeUndefined();
  });

  it('are never echoed by a refusal: error messages and violations carry no PHI', () => {
    let thrown: unknown;
    try {
      patientDecider.decide(
        {
          type: 'RegisterPatient',
          patientId: ids.patient,
          demographics: {
            name: { given: [canary.givenName], family: canary.familyName },
            dateOfBirth: `${canary.dateOfBirth}X`,
            gender: 'female',
          },
          contact: {
            phone: `${canary.phone}#`,
            email: `${canary.email}@`,
            address: { line: [canary.address], city: '', country: 'US' },
          },
          at: ids.at(9),
        },
        patientDecider.initialState(),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ reason: 'INVALID_DATE_OF_BIRTH' });
    const err = thrown as { message: string; violations: unknown[] };
    expect(err.violations).toHaveLength(4);
    expect(findCanariesInText(JSON.stringify({ m: err.message, v: err.violations }), canary)).toEqual([]);
  });
});
