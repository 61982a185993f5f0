import { describe, expect, it } from 'vitest';
import { ScanAhead } from './gap-safe.js';

const at = (position: number) => ({ transactionId: String(100 + position), position });

describe('ScanAhead', () => {
  it('reads on from where nothing was found while the stored checkpoint stays put', () => {
    const scan = new ScanAhead();
    expect(scan.from(at(1))).toEqual(at(1));
    scan.foundNothing(at(1), at(9));
    expect(scan.from(at(1))).toEqual(at(9));
  });

  it('starts over from a stored checkpoint that moved (a batch applied, a reset, another replica)', () => {
    const scan = new ScanAhead();
    scan.foundNothing(at(5), at(9));
    expect(scan.from(at(0))).toEqual(at(0));
    expect(scan.from(at(7))).toEqual(at(7));
    scan.clear();
    expect(scan.from(at(5))).toEqual(at(5));
  });
});
