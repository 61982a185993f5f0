import { describe, expect, it } from 'vitest';
import { findCanariesInText, makeCanaries } from './canary.js';

describe('makeCanaries', () => {
  it('gives every PHI field a value that its own needles find', () => {
    const patient = makeCanaries();
    expect(patient.canaries.map((c) => c.field).sort()).toEqual(
      ['address', 'dateOfBirth', 'email', 'familyName', 'givenName', 'mrn', 'note', 'phone'].sort(),
    );
    for (const canary of patient.canaries) {
      expect(findCanariesInText(canary.value, [canary]), canary.field).toHaveLength(1);
    }
  });

  it('produces values that pass ordinary format validation', () => {
    const patient = makeCanaries();
    expect(patient.phone).toMatch(/^\+1\d{3}55501\d{2}$/);
    expect(patient.email).toMatch(/^[a-z0-9.]+@example\.com$/);
    expect(patient.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${patient.dateOfBirth}T00:00:00Z`).toISOString().slice(0, 10)).toBe(patient.dateOfBirth);
    expect(patient.givenName).toMatch(/^[A-Za-z]+$/);
    expect(patient.familyName).toMatch(/^[A-Za-z]+$/);
    expect(patient.fullName).toBe(`${patient.givenName} ${patient.familyName}`);
  });

  it('never repeats the markers of another call', () => {
    const [a, b] = [makeCanaries(), makeCanaries()];
    for (const field of ['givenName', 'familyName', 'email', 'address', 'note', 'mrn'] as const) {
      expect(a[field]).not.toBe(b[field]);
    }
  });
});

describe('findCanariesInText', () => {
  it('finds nothing in text without canaries', () => {
    expect(findCanariesInText('{"patientId":"7d1c","status":"booked"}', makeCanaries())).toEqual([]);
  });

  it('finds a planted canary, whatever its case, and says where and which', () => {
    const patient = makeCanaries();
    const text = `{"level":30,"msg":"booked","name":"${patient.familyName.toUpperCase()}"}`;
    expect(findCanariesInText(text, patient, 'log line 1')).toEqual([
      { location: 'log line 1', canary: 'familyName', needle: patient.familyName },
    ]);
  });

  it('finds canaries after form encoding and phone reformatting', () => {
    const patient = makeCanaries();
    const formBody = new URLSearchParams({
      To: patient.phone,
      Body: patient.note,
      From: patient.email,
    }).toString();
    expect(findCanariesInText(formBody, patient).map((hit) => hit.canary)).toEqual([
      'phone',
      'email',
      'note',
    ]);
    const national = patient.phone.slice(2);
    const dashed = `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
    expect(findCanariesInText(`call ${dashed}`, patient).map((hit) => hit.canary)).toEqual(['phone']);
  });
});
