import { generateKeySync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBlindIndex } from './blind-index.js';
import { normaliseDateOfBirth, normaliseEmail, normaliseName, normalisePhone } from './normalise.js';

const key = () => generateKeySync('hmac', { length: 256 });

describe('normalisation', () => {
  it.each([
    ["José  O'Brien", 'jose obrien'],
    ['  JOSÉ O’BRIEN ', 'jose obrien'],
    ['Anne-Marie Müller', 'anne marie muller'],
    ['Søren Łukasz Straße', 'soren lukasz strasse'],
    ['Ｊｏｓｅ', 'jose'], // full-width letters fold under NFKD
    ['Zoë, Jr.', 'zoe jr'],
  ])('name %j → %j', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it.each([
    ['(415) 555-0100', '+14155550100'],
    ['1-415-555-0100', '+14155550100'],
    ['+1 415.555.0100 ext 12', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
  ])('phone %j → %j', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it('phone uses the default calling code for national numbers', () => {
    expect(normalisePhone('020 7946 0958', '44')).toBe('+442079460958');
    expect(() => normalisePhone('12')).toThrow(expect.objectContaining({ reason: 'INVALID_PHONE' }));
  });

  it('date of birth must be a real ISO date', () => {
    expect(normaliseDateOfBirth(' 1980-02-29 ')).toBe('1980-02-29');
    for (const bad of ['1981-02-29', '02/03/1980', '1980-2-3', '1980-13-01']) {
      expect(() => normaliseDateOfBirth(bad)).toThrow(
        expect.objectContaining({ reason: 'INVALID_DATE_OF_BIRTH' }),
      );
    }
  });

  it('email is trimmed and lower-cased, and kept otherwise', () => {
    expect(normaliseEmail('  Jane.Doe+spa@Example.COM ')).toBe('jane.doe+spa@example.com');
    expect(() => normaliseEmail('jane doe')).toThrow(expect.objectContaining({ reason: 'INVALID_EMAIL' }));
  });

  it('never puts the value into the error', () => {
    expect(() => normalisePhone('Jane Canary')).toThrow(expect.not.objectContaining({ message: /Canary/ }));
  });
});

describe('blind index', () => {
  it('gives equal tokens for equal normalised names, and hides the value', () => {
    const index = createBlindIndex(key());
    const token = index.name('patient.lastName', "José  O'Brien");
    expect(index.name('patient.lastName', 'jose obrien')).toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token).not.toContain('obrien');
  });

  it('separates fields and tenants', () => {
    const k = key();
    const index = createBlindIndex(k);
    const token = index.name('patient.lastName', 'Smith');
    expect(index.name('patient.firstName', 'Smith')).not.toBe(token);
    expect(createBlindIndex(key()).name('patient.lastName', 'Smith')).not.toBe(token);
    expect(createBlindIndex(k).name('patient.lastName', 'Smith')).toBe(token);
  });

  it('indexes phones, birth dates and emails by their normal form', () => {
    const index = createBlindIndex(key());
    expect(index.phone('patient.phone', '(415) 555-0100')).toBe(
      index.phone('patient.phone', '+1 415 555 0100'),
    );
    expect(index.dateOfBirth('patient.dob', '1980-02-29')).toBe(index.exact('patient.dob', '1980-02-29'));
    expect(index.email('patient.email', 'A@B.co')).toBe(index.email('patient.email', 'a@b.co '));
  });

  it('makes prefix tokens per word from the minimum up to the cap', () => {
    const index = createBlindIndex(key(), { minPrefix: 3, maxPrefix: 5 });
    const tokens = index.namePrefixes('patient.name', "José O'Brien");
    // jos, jose; obr, obri, obrie
    expect(tokens).toHaveLength(5);
    expect(tokens).not.toContain(index.name('patient.name', 'jose'));
    for (const typed of ['Jos', 'JOSÉ', 'obri', "O'Brien", 'obrienxyz', 'jos obr']) {
      const query = index.namePrefixQuery('patient.name', typed);
      expect(query.length).toBeGreaterThan(0);
      expect(tokens).toEqual(expect.arrayContaining(query));
    }
    expect(index.namePrefixQuery('patient.name', 'jo')).toEqual([]);
    expect(tokens).not.toEqual(expect.arrayContaining(index.namePrefixQuery('patient.name', 'jom')));
  });

  it('refuses options that would leak or break', () => {
    expect(() => createBlindIndex(key(), { minPrefix: 1 })).toThrow();
    expect(() => createBlindIndex(key(), { bytes: 2 })).toThrow();
  });
});
