import * as a from '@medspa/contracts/medspa.audit.v1';
import * as $ from './schemas/audit.js';
import { route, rpc, staff, type Route } from './route.js';

const COLUMNS = [
  'occurredAt',
  'recipientId',
  'recipientRole',
  'resourceType',
  'resourceId',
  'action',
  'purpose',
  'breakGlass',
  'messageId',
  'sourceTopic',
] as const;

// RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula.
const cell = (value: string | number | boolean | undefined): string => {
  const text = value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

/** The accounting of disclosures as CSV, one row per disclosure (ids and codes only). */
export function disclosuresAsCsv(disclosures: readonly a.Disclosure[]): string {
  const rows = disclosures.map((d) => {
    const json = a.Disclosure.toJSON(d) as Record<string, string | number | boolean | undefined>;
    return COLUMNS.map((c) => cell(json[c] ?? (c === 'breakGlass' ? false : ''))).join(',');
  });
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The compliance officer's audit log: query, accounting of disclosures, verify, export. */
export const auditRoutes: Route[] = [
  route({
    operationId: 'queryAuditEntries',
    method: 'GET',
    path: '/v1/audit/entries',
    tag: 'audit',
    summary: 'Audit entries by patient, user, action, event type, correlation id and time, newest first',
    access: staff('audit:read'),
    query: $.EntriesQuery,
    response: $.EntriesReply,
    handle: rpc('audit', 'queryEntries', a.QueryEntriesRequest, a.QueryEntriesResponse),
  }),
  route({
    operationId: 'accountingOfDisclosures',
    method: 'GET',
    path: '/v1/audit/disclosures',
    tag: 'audit',
    summary: "A patient's accounting of disclosures for a period (45 CFR 164.528)",
    access: staff('audit:read'),
    query: $.DisclosuresQuery,
    response: $.DisclosuresReply,
    handle: rpc(
      'audit',
      'accountingOfDisclosures',
      a.AccountingOfDisclosuresRequest,
      a.AccountingOfDisclosuresResponse,
    ),
  }),
  route({
    operationId: 'accountingOfDisclosuresCsv',
    method: 'GET',
    path: '/v1/audit/disclosures.csv',
    tag: 'audit',
    summary: 'The accounting of disclosures as CSV',
    access: staff('audit:read'),
    query: $.DisclosuresQuery,
    response: $.ExportLine,
    produces: 'text/csv',
    async handle({ input, upstream, call }) {
      const request = a.AccountingOfDisclosuresRequest.fromJSON(input);
      const { disclosures } = await upstream.audit.accountingOfDisclosures(request, call);
      return {
        contentType: 'text/csv; charset=utf-8',
        text: disclosuresAsCsv(disclosures),
        filename: 'disclosures.csv',
      };
    },
  }),
  route({
    operationId: 'verifyAuditLog',
    method: 'POST',
    path: '/v1/audit/verify',
    tag: 'audit',
    summary: "Verify the clinic's hash chain and signed checkpoints; the first problem found",
    access: staff('audit:read'),
    body: $.VerifyBody,
    response: $.VerifyReply,
    handle: rpc('audit', 'verify', a.VerifyRequest, a.VerifyResponse),
  }),
  route({
    operationId: 'exportAuditLog',
    method: 'GET',
    path: '/v1/audit/export',
    tag: 'audit',
    summary: "The clinic's whole chain as NDJSON, ending with the signed manifest",
    access: staff('audit:export'),
    response: $.ExportLine,
    produces: 'application/x-ndjson',
    async handle({ upstream, call }) {
      const stream = upstream.audit.exportEntries({}, call);
      async function* lines(): AsyncGenerator<string> {
        for await (const item of stream) {
          if (item.item?.$case === 'line') yield item.item.value;
          else if (item.item?.$case === 'manifestJson') yield item.item.value;
        }
      }
      return { contentType: 'application/x-ndjson', lines: lines(), filename: 'audit-export.ndjson' };
    },
  }),
];

/** Legal holds on the clinic's log (audit:legal_hold, the compliance officer): append-only. */
export const legalHoldRoutes: Route[] = [
  route({
    operationId: 'placeLegalHold',
    method: 'POST',
    path: '/v1/audit/legal-holds',
    tag: 'audit',
    summary: "Place a legal hold on the clinic's log, a patient's entries or a period",
    access: staff('audit:legal_hold'),
    body: $.PlaceLegalHoldBody,
    response: $.LegalHoldReply,
    status: 201,
    handle: rpc('audit', 'placeLegalHold', a.PlaceLegalHoldRequest, a.PlaceLegalHoldResponse),
  }),
  route({
    operationId: 'releaseLegalHold',
    method: 'POST',
    path: '/v1/audit/legal-holds/:holdId/release',
    tag: 'audit',
    summary: 'Release a standing legal hold (the placement stays on record)',
    access: staff('audit:legal_hold'),
    params: $.LegalHoldParams,
    body: $.ReleaseLegalHoldBody,
    response: $.LegalHoldReply,
    handle: rpc('audit', 'releaseLegalHold', a.ReleaseLegalHoldRequest, a.ReleaseLegalHoldResponse),
  }),
  route({
    operationId: 'listLegalHolds',
    method: 'GET',
    path: '/v1/audit/legal-holds',
    tag: 'audit',
    summary: "The clinic's legal holds, newest first (released ones when asked)",
    access: staff('audit:legal_hold'),
    query: $.LegalHoldsQuery,
    response: $.LegalHolds,
    // `includeReleased` arrives as text; proto3 JSON would read "false" as true.
    handle: async (ctx) =>
      rpc(
        'audit',
        'listLegalHolds',
        a.ListLegalHoldsRequest,
        a.ListLegalHoldsResponse,
      )({
        ...ctx,
        input: { includeReleased: ctx.input.includeReleased === 'true' },
      }),
  }),
];
