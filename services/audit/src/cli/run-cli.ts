import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AuditServiceClient, type AuditServiceService } from '@medspa/contracts/medspa.audit.v1';
import { isAppError } from '@medspa/errors';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { verifyExport } from '../export/verify-export.js';
import { disclosuresCsv } from '../queries/disclosures-csv.js';
import { grpcRecordHistory, REPLAYABLE, type ReplayableRecord } from '../replay/record-history.js';
import { trustedKeysFromPem } from '../signing/checkpoint-signer.js';

type Client = PromiseClient<typeof AuditServiceService>;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const USAGE = `usage: medspa-audit <command> [options]
  verify       [--check-columns]                       verify the clinic's chain (exit 1 if not intact)
  query        [--patient ID] [--user ID] [--action A] [--type T] [--correlation ID]
               [--from ISO] [--to ISO] [--page-size N] [--page-token T] [--all]   entries as NDJSON, newest first
  disclosures  --patient ID --from ISO --to ISO [--format json|csv]
  export       --out FILE.ndjson --manifest FILE.json  the chain plus a signed manifest
  verify-export --in FILE.ndjson --manifest FILE.json --public-key PEM[,PEM...]   offline, no server
  replay       --kind appointment|patient --id ID --as-of ISO   the record as it stood then, from its owner
               (--scheduling-address / SCHEDULING_GRPC_ADDR, --patient-record-address / PATIENT_RECORD_GRPC_ADDR)
common: --address HOST:PORT (MEDSPA_AUDIT_ADDR)  --token JWT (MEDSPA_AUDIT_TOKEN)
`;

const OPTIONS = {
  address: { type: 'string' },
  token: { type: 'string' },
  patient: { type: 'string' },
  user: { type: 'string' },
  action: { type: 'string' },
  type: { type: 'string' },
  correlation: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'page-size': { type: 'string' },
  'page-token': { type: 'string' },
  all: { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  in: { type: 'string' },
  manifest: { type: 'string' },
  'public-key': { type: 'string' },
  'check-columns': { type: 'boolean' },
  kind: { type: 'string' },
  id: { type: 'string' },
  'as-of': { type: 'string' },
  'scheduling-address': { type: 'string' },
  'patient-record-address': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function instant(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO-8601 instant`);
  return date;
}

const required = (value: string | undefined, name: string): string => {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
};

const line = (out: NodeJS.WritableStream, value: unknown) => out.write(`${JSON.stringify(value)}\n`);

async function query(client: Client, v: Values, io: CliIo): Promise<number> {
  let pageToken = v['page-token'] ?? '';
  do {
    const page = await client.queryEntries({
      subjectId: v.patient ?? '',
      actorId: v.user ?? '',
      action: v.action ?? '',
      eventType: v.type ?? '',
      correlationId: v.correlation ?? '',
      from: instant(v.from, 'from'),
      to: instant(v.to, 'to'),
      pageSize: v['page-size'] === undefined ? 0 : Number(v['page-size']),
      pageToken,
    });
    for (const e of page.entries)
      line(io.stdout, { ...e, details: JSON.parse(e.detailsJson) as unknown, detailsJson: undefined });
    pageToken = page.nextPageToken;
    if (v.all !== true && pageToken !== '')
      io.stderr.write(`more entries: --page-token ${pageToken} (or --all)\n`);
  } while (v.all === true && pageToken !== '');
  return 0;
}

async function exportTo(client: Client, v: Values): Promise<number> {
  const out = createWriteStream(required(v.out, 'out'));
  let manifest: string | undefined;
  for await (const message of client.exportEntries({}, { deadline: new Date(Date.now() + 3_600_000) })) {
    if (message.item?.$case === 'line') {
      if (!out.write(`${message.item.value}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    } else if (message.item?.$case === 'manifestJson') manifest = message.item.value;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (manifest === undefined) throw new Error('The export ended without a manifest');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(required(v.manifest, 'manifest'), `${manifest}\n`);
  return 0;
}

async function verifyExportFiles(v: Values, io: CliIo): Promise<number> {
  const keys = await Promise.all(
    required(v['public-key'], 'public-key')
      .split(',')
      .map((f) => readFile(f, 'utf8')),
  );
  const result = await verifyExport(
    await readFile(required(v.in, 'in'), 'utf8'),
    (await readFile(required(v.manifest, 'manifest'), 'utf8')).trim(),
    trustedKeysFromPem(keys),
  );
  line(io.stdout, result);
  return result.intact ? 0 : 1;
}

async function replay(v: Values, io: CliIo): Promise<number> {
  const kind = required(v.kind, 'kind');
  if (!(REPLAYABLE as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${REPLAYABLE.join(', ')}`);
  }
  const asOf = instant(required(v['as-of'], 'as-of'), 'as-of')!;
  const scheduling = v['scheduling-address'] ?? io.env.SCHEDULING_GRPC_ADDR;
  const patientRecord = v['patient-record-address'] ?? io.env.PATIENT_RECORD_GRPC_ADDR;
  const history = grpcRecordHistory(
    {
      ...(scheduling === undefined ? {} : { scheduling }),
      ...(patientRecord === undefined ? {} : { patientRecord }),
    },
    required(v.token ?? io.env.MEDSPA_AUDIT_TOKEN, 'token'),
  );
  try {
    const id = required(v.id, 'id');
    const record = await history.asOf(kind as ReplayableRecord, id, asOf);
    line(io.stdout, { kind, id, asOf: asOf.toISOString(), record });
    return 0;
  } finally {
    history.close();
  }
}

async function withClient(v: Values, io: CliIo, run: (client: Client) => Promise<number>): Promise<number> {
  const address = required(v.address ?? io.env.MEDSPA_AUDIT_ADDR, 'address');
  const token = required(v.token ?? io.env.MEDSPA_AUDIT_TOKEN, 'token');
  const client = createGrpcClient(AuditServiceClient, address, { getToken: () => token, deadlineMs: 60_000 });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** `medspa-audit` as a function: the exit code. Errors print their reason code, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values: v, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    const command = positionals[0] ?? '';
    switch (command) {
      case 'verify':
        return await withClient(v, io, async (client) => {
          const report = await client.verify({ checkColumns: v['check-columns'] === true });
          line(io.stdout, report);
          return report.intact ? 0 : 1;
        });
      case 'query':
        return await withClient(v, io, (client) => query(client, v, io));
      case 'disclosures':
        return await withClient(v, io, async (client) => {
          const res = await client.accountingOfDisclosures({
            subjectId: required(v.patient, 'patient'),
            from: instant(required(v.from, 'from'), 'from'),
            to: instant(required(v.to, 'to'), 'to'),
          });
          const rows = res.disclosures.map((d) => ({ ...d, occurredAt: d.occurredAt ?? new Date(0) }));
          if ((v.format ?? 'json') === 'csv') io.stdout.write(disclosuresCsv(rows));
          else line(io.stdout, rows);
          return 0;
        });
      case 'export':
        return await withClient(v, io, (client) => exportTo(client, v));
      case 'verify-export':
        return await verifyExportFiles(v, io);
      case 'replay':
        return await replay(v, io);
      default:
        io.stderr.write(USAGE);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e)) {
      io.stderr.write(`${e.message}\n${USAGE}`);
      return 2;
    }
    io.stderr.write(
      `medspa-audit: ${isAppError(e) ? `${e.kind} ${e.reason}` : e instanceof Error ? e.name : 'error'}\n`,
    );
    return 1;
  }
}
