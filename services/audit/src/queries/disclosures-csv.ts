/** The columns of the CSV, in order, as a compliance officer reads them. */
export const DISCLOSURE_CSV_COLUMNS = [
  'date',
  'recipient_id',
  'recipient_role',
  'resource_type',
  'resource_id',
  'action',
  'purpose',
  'break_glass',
  'message_id',
  'source',
] as const;

export interface DisclosureCsvRow {
  occurredAt: Date;
  recipientId: string;
  recipientRole: string;
  resourceType: string;
  resourceId: string;
  action: string;
  purpose: string;
  breakGlass: boolean;
  messageId: string;
  sourceTopic: string;
}

// RFC 4180: quote a field holding a comma, quote, CR or LF, doubling inner quotes. A leading
// =, +, - or @ is prefixed with ' so a spreadsheet never runs the cell as a formula.
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** An accounting of disclosures as RFC 4180 CSV (CRLF line ends, a header row). */
export function disclosuresCsv(rows: readonly DisclosureCsvRow[]): string {
  const lines = [DISCLOSURE_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.occurredAt.toISOString(),
        r.recipientId,
        r.recipientRole,
        r.resourceType,
        r.resourceId,
        r.action,
        r.purpose,
        r.breakGlass ? 'true' : 'false',
        r.messageId,
        r.sourceTopic,
      ]
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
