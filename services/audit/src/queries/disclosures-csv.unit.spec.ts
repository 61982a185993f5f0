import { describe, expect, it } from 'vitest';
import { DISCLOSURE_CSV_COLUMNS, disclosuresCsv, type DisclosureCsvRow } from './disclosures-csv.js';

/** A small RFC 4180 reader, to check the output parses back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quoted && c === '"' && next === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && next === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

const row = (over: Partial<DisclosureCsvRow> = {}): DisclosureCsvRow => ({
  occurredAt: new Date('2025-06-01T14:03:22.123Z'),
  recipientId: 'svc:ai',
  recipientRole: 'service',
  resourceType: 'transcript',
  resourceId: 'tr-1',
  action: 'disclose',
  purpose: 'treatment',
  breakGlass: false,
  messageId: '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f',
  sourceTopic: 'medspa.ai.events.v1',
  ...over,
});

describe('disclosuresCsv', () => {
  it('writes a header and one CRLF-terminated row per disclosure, every row with every column', () => {
    const csv = disclosuresCsv([row(), row({ breakGlass: true })]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...DISCLOSURE_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(DISCLOSURE_CSV_COLUMNS.length);
    expect(rows[1]![0]).toBe('2025-06-01T14:03:22.123Z');
    expect(rows[2]![7]).toBe('true');
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    const csv = disclosuresCsv([row({ resourceId: 'a,"b"\r\nc', recipientId: '=HYPERLINK("x")' })]);
    const [, parsed] = parseCsv(csv);
    expect(parsed![4]).toBe('a,"b"\r\nc');
    expect(parsed![1]).toBe(`'=HYPERLINK("x")`);
  });

  it('writes only the header for an empty accounting', () => {
    expect(parseCsv(disclosuresCsv([]))).toEqual([[...DISCLOSURE_CSV_COLUMNS]]);
  });
});
