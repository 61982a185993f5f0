import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from './canonical-json.js';

const text = (value: JsonValue): string => canonicalJson(value).toString('utf8');

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('serialises the RFC 8785 §3.2.2 sample as the RFC does', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals":[null,true,false]}',
    ) as JsonValue;
    expect(text(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh",' +
        '"1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control",' +
        '"\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as Record<string, string>;
    // Read the order off the text: JSON.parse would put the integer-like key "1" first again.
    const serialised = text(input);
    const order = Object.values(input).sort((a, b) => serialised.indexOf(a) - serialised.indexOf(b));
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('gives the same bytes whatever order the keys were built in', () => {
    expect(canonicalJson({ b: 1, a: { y: [1, 'x'], x: null } })).toEqual(
      canonicalJson({ a: { x: null, y: [1, 'x'] }, b: 1 }),
    );
  });

  it('has no whitespace and writes -0 as 0', () => {
    expect(text({ a: [1, 2, { b: -0 }] })).toBe('{"a":[1,2,{"b":0}]}');
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/not finite/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/not finite/);
    expect(() => canonicalJson({ a: 'x\ud800y' })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ a: undefined } as unknown as JsonValue)).toThrow(/undefined/);
  });
});
