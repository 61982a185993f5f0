import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import { AuditServiceClient, type AuditServiceService } from '@medspa/contracts/medspa.audit.v1';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { listDeadLetters, type PhiAccess } from '@medspa/messaging';
import { createTestIssuer, type TestIssuer } from '@medspa/testing';
import { AUDIT_TOPIC } from './app/own-access.js';
import { runCli } from './cli/run-cli.js';
import { verifyExport } from './export/verify-export.js';
import { ingestConsumerName } from './ingest/ingest.js';
import { startService, type RunningAuditService } from './service.js';
import { trustedKeysFromPem } from './signing/checkpoint-signer.js';
import { createAuditTestDatabase, type AuditTestDatabase } from './testing/audit-database.js';
import { createProducer, metadataFor, type Producer } from './testing/producers.js';
import { testAuditConfig } from './testing/service-config.js';
import { waitUntil } from './testing/wait.js';

type Client = PromiseClient<typeof AuditServiceService>;

let db: AuditTestDatabase;
let issuer: TestIssuer;
let feed: Producer;
let service: RunningAuditService;
let keyFile: string;
const tenant = randomUUID();
const otherTenant = randomUUID();
const patient = randomUUID();
const otherPatient = randomUUID();
const provider = { id: randomUUID(), role: 'provider' };
const frontDesk = { id: randomUUID(), role: 'front_desk' };
const clients: Record<'officer' | 'owner' | 'frontDesk' | 'stranger', Client> = {} as never;
const officerId = randomUUID();
const tokens: Record<'officer' | 'frontDesk', string> = { officer: '', frontDesk: '' };
const seeded: string[] = [];

const access = (over: Partial<PhiAccess>): PhiAccess => ({
  subjectId: patient,
  resourceType: 'encounter',
  resourceId: randomUUID(),
  action: 'read',
  purpose: 'treatment',
  outcome: { allowed: true },
  requestId: randomUUID(),
  ...over,
});

const count = async (sql: string, values: unknown[] = []) =>
  Number((await db.appPool.query<{ n: string }>(sql, values)).rows[0]?.n);

beforeAll(async () => {
  db = await createAuditTestDatabase();
  issuer = await createTestIssuer();
  feed = await createProducer(db.adminUrl, 'audit-feed');
  const config = testAuditConfig({ appUrl: db.appUrl, sources: ['audit-feed'], issuer: issuer.issuer });
  keyFile = config.AUDIT_SIGNING_KEY_FILE;
  service = await startService(config, {
    verifier: createTokenVerifier(issuer.verifierOptions()),
    address: '127.0.0.1:0',
    pollIntervalMs: 50,
  });
  const client = async (
    role: 'compliance_officer' | 'owner' | 'front_desk',
    tenantId = tenant,
    userId = randomUUID(),
  ) => {
    const token = await issuer.sign({ tenantId, role, userId });
    return createGrpcClient(AuditServiceClient, `127.0.0.1:${service.port}`, { getToken: () => token });
  };
  clients.officer = await client('compliance_officer', tenant, officerId);
  tokens.officer = await issuer.sign({ tenantId: tenant, role: 'compliance_officer', userId: officerId });
  tokens.frontDesk = await issuer.sign({ tenantId: tenant, role: 'front_desk' });
  clients.owner = await client('owner');
  clients.frontDesk = await client('front_desk');
  clients.stranger = await client('compliance_officer', otherTenant);

  // A clinic's morning: 12 reads, 3 disclosures, 1 export, 1 denied attempt about one patient;
  // 4 reads about another; 5 state changes; 3 entries of another clinic.
  const meta = metadataFor(tenant, provider);
  await feed.access(
    meta,
    Array.from({ length: 12 }, () => access({})),
  );
  await feed.access(metadataFor(tenant, provider), [
    access({ action: 'disclose', purpose: 'treatment', resourceType: 'transcript' }),
    access({ action: 'disclose', purpose: 'operations', resourceType: 'chart_note' }),
    access({ action: 'export', purpose: 'patient_request', resourceType: 'patient' }),
    access({ action: 'print', purpose: 'payment', resourceType: 'invoice' }),
  ]);
  await feed.access(metadataFor(tenant, frontDesk), [
    access({ outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' } }),
    access({ action: 'disclose', outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' } }),
  ]);
  await feed.access(
    metadataFor(tenant, provider),
    Array.from({ length: 4 }, () => access({ subjectId: otherPatient })),
  );
  for (let i = 0; i < 5; i++) seeded.push(await feed.event(metadataFor(tenant, provider), patient));
  await feed.access(
    metadataFor(otherTenant),
    Array.from({ length: 3 }, () => access({})),
  );
  await waitUntil(
    'the seeded messages to be ingested',
    async () => (await count('SELECT count(*) n FROM audit.entries')) >= 30,
  );
});

afterAll(async () => {
  for (const c of Object.values(clients)) c.close();
  await service?.stop();
  await feed?.pool.end();
  await db?.drop();
});

describe('ingest', () => {
  it('keeps every message once, with envelope and access-event fields in the searchable columns', async () => {
    expect(await count('SELECT count(*) n FROM audit.entries WHERE source_topic = $1', [feed.topic])).toBe(
      30,
    );
    expect(await count('SELECT count(DISTINCT message_id) n FROM audit.entries')).toBe(
      await count('SELECT count(*) n FROM audit.entries'),
    );
    const disclosed = await db.appPool.query(
      `SELECT tenant_id, subject_id, actor_id, actor_role, action, event_type, correlation_id,
              convert_from(canonical, 'UTF8')::jsonb -> 'details' AS details
       FROM audit.entries WHERE action = 'disclose' AND tenant_id = $1 ORDER BY seq`,
      [tenant],
    );
    expect(disclosed.rows[0]).toMatchObject({
      tenant_id: tenant,
      subject_id: patient,
      actor_id: provider.id,
      actor_role: 'provider',
      event_type: 'medspa.common.v1.AccessEvent',
      details: { purpose: 'treatment', outcome: 'allowed', resourceType: 'transcript', breakGlass: false },
    });
    const changes = await db.appPool.query(
      `SELECT message_id, subject_id, action FROM audit.entries WHERE action = 'record' ORDER BY seq`,
    );
    expect(changes.rows.map((r: { message_id: string }) => r.message_id)).toEqual(seeded);
  });

  it('parks a malformed message with its error, never dropping it, and goes on', async () => {
    const headers = (eventType: string) => ({
      event_id: randomUUID(),
      event_type: eventType,
      tenant_id: tenant,
      actor_id: provider.id,
      actor_role: 'provider',
      correlation_id: randomUUID(),
      causation_id: randomUUID(),
      occurred_at: new Date().toISOString(),
    });
    const garbage = headers('medspa.common.v1.AccessEvent');
    await feed.raw({
      headers: garbage,
      type: 'medspa.common.v1.AccessEvent',
      payload: Buffer.from([0xff, 0xff, 0xff]),
    });
    const { tenant_id: _dropped, ...noTenant } = headers('medspa.audit_feed.v1.Thing');
    const headless = await feed.raw({
      headers: noTenant,
      type: 'medspa.audit_feed.v1.Thing',
      payload: Buffer.from([1]),
    });
    const after = await feed.event(metadataFor(tenant, provider), patient);
    await waitUntil(
      'the event after the malformed ones',
      async () => (await count('SELECT count(*) n FROM audit.entries WHERE message_id = $1', [after])) === 1,
    );
    const letters = await listDeadLetters(db.appPool, 'audit', ingestConsumerName('audit-feed'));
    expect(letters.map((l) => [l.messageId, l.errorReason]).sort()).toEqual(
      [
        [garbage.event_id, 'AUDIT_PAYLOAD_MALFORMED'],
        [headless, 'ENVELOPE_INCOMPLETE'],
      ].sort(),
    );
    expect(
      await count('SELECT count(*) n FROM audit.entries WHERE message_id = $1', [garbage.event_id]),
    ).toBe(0);
  });
});

describe('QueryEntries', () => {
  it('filters by patient, user, action and time, and pages newest first without gaps or repeats', async () => {
    const seen: { sequence: number; occurredAt: Date | undefined }[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await clients.officer.queryEntries({
        subjectId: patient,
        actorId: provider.id,
        action: 'read',
        eventType: '',
        correlationId: '',
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 60_000),
        pageSize: 5,
        pageToken,
      });
      seen.push(...page.entries);
      for (const e of page.entries)
        expect([e.subjectId, e.actorId, e.action]).toEqual([patient, provider.id, 'read']);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    expect(seen).toHaveLength(12);
    expect(pages).toBe(3);
    expect(new Set(seen.map((e) => e.sequence)).size).toBe(12);
    const times = seen.map((e) => e.occurredAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('finds by correlation id, and an empty time window finds nothing', async () => {
    const [one] = (await clients.officer.queryEntries({ ...blank(), action: 'print' })).entries;
    expect(one).toBeDefined();
    const byCorrelation = await clients.officer.queryEntries({
      ...blank(),
      correlationId: one!.correlationId,
    });
    expect(byCorrelation.entries.map((e) => e.messageId)).toContain(one!.messageId);
    const none = await clients.officer.queryEntries({
      ...blank(),
      from: new Date('2001-01-01T00:00:00Z'),
      to: new Date('2001-01-02T00:00:00Z'),
    });
    expect(none.entries).toEqual([]);
  });

  it('never shows another clinic its entries', async () => {
    const page = await clients.stranger.queryEntries({ ...blank(), subjectId: patient, pageSize: 500 });
    expect(page.entries.filter((e) => e.sourceTopic === feed.topic)).toHaveLength(3);
  });

  it('refuses front desk with PERMISSION_DENIED, and logs the attempt', async () => {
    await expect(clients.frontDesk.queryEntries({ ...blank(), subjectId: patient })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const denied = await db.appPool.query<{ subject_id: string; details: Record<string, unknown> }>(
      `SELECT subject_id, convert_from(canonical, 'UTF8')::jsonb -> 'details' AS details
       FROM audit.entries WHERE source_topic = $1 AND actor_role = 'front_desk'
         AND convert_from(canonical, 'UTF8')::jsonb #>> '{details,resourceId}' = 'QueryEntries'`,
      [AUDIT_TOPIC],
    );
    expect(denied.rows).toHaveLength(1);
    expect(denied.rows[0]?.subject_id).toBe(patient);
    expect(denied.rows[0]?.details).toMatchObject({ outcome: 'denied', denialReason: 'PERMISSION_DENIED' });
  });

  it('leaves an audit entry for every query, before it answers', async () => {
    const ofOfficer = () =>
      count('SELECT count(*) n FROM audit.entries WHERE source_topic = $1 AND actor_id = $2', [
        AUDIT_TOPIC,
        officerId,
      ]);
    const before = await ofOfficer();
    await clients.officer.queryEntries({ ...blank(), subjectId: otherPatient });
    await clients.officer.verify({ checkColumns: false });
    await clients.officer
      .accountingOfDisclosures({ subjectId: otherPatient, from: new Date(0), to: new Date() })
      .catch(() => undefined);
    await clients.officer.accountingOfDisclosures({
      subjectId: otherPatient,
      from: new Date(Date.now() - 60_000),
      to: new Date(),
    });
    for await (const _ of clients.officer.exportEntries({})) void _;
    // The refused period (over six years) wrote nothing: bad input is refused before the guard.
    expect(await ofOfficer()).toBe(before + 4);
    const kinds = await db.appPool.query<{ action: string; rpc: string }>(
      `SELECT action, convert_from(canonical, 'UTF8')::jsonb #>> '{details,resourceId}' AS rpc FROM audit.entries
       WHERE source_topic = $1 AND actor_id = $2 ORDER BY seq DESC LIMIT 4`,
      [AUDIT_TOPIC, officerId],
    );
    expect(kinds.rows.map((r) => `${r.action} ${r.rpc}`).reverse()).toEqual([
      'search QueryEntries',
      'read Verify',
      'search AccountingOfDisclosures',
      'export ExportEntries',
    ]);
    const page = await clients.officer.queryEntries({ ...blank(), actorId: officerId, pageSize: 1 });
    // The newest entry of the officer is this very query: it was appended before the answer.
    expect(page.entries[0]).toMatchObject({
      action: 'search',
      sourceTopic: AUDIT_TOPIC,
      actorRole: 'compliance_officer',
    });
  });

  it('answers a bad page token or size with INVALID_ARGUMENT', async () => {
    await expect(clients.officer.queryEntries({ ...blank(), pageToken: 'nope' })).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(clients.officer.queryEntries({ ...blank(), pageSize: 501 })).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});

describe('AccountingOfDisclosures', () => {
  it('lists the allowed disclosures, exports and prints of the patient in the period, oldest first', async () => {
    const res = await clients.owner.accountingOfDisclosures({
      subjectId: patient,
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(res.disclosures.map((d) => [d.action, d.purpose, d.resourceType, d.recipientId])).toEqual([
      ['disclose', 'treatment', 'transcript', provider.id],
      ['disclose', 'operations', 'chart_note', provider.id],
      ['export', 'patient_request', 'patient', provider.id],
      ['print', 'payment', 'invoice', provider.id],
    ]);
  });

  it('needs a period', async () => {
    await expect(
      clients.owner.accountingOfDisclosures({ subjectId: patient, from: undefined, to: new Date() }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('ExportEntries and Verify', () => {
  async function exportAll(client: Client) {
    const lines: string[] = [];
    let manifest = '';
    for await (const m of client.exportEntries({})) {
      if (m.item?.$case === 'line') lines.push(m.item.value);
      if (m.item?.$case === 'manifestJson') manifest = m.item.value;
    }
    return { ndjson: lines.map((l) => `${l}\n`).join(''), manifest };
  }
  const publicKeyOnly = () =>
    trustedKeysFromPem([
      createPublicKey(readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'pem' }).toString(),
    ]);

  it('exports a chain that verifies offline with the public key alone, and detects a changed line', async () => {
    const { ndjson, manifest } = await exportAll(clients.officer);
    const result = await verifyExport(ndjson, manifest, publicKeyOnly());
    expect(result).toMatchObject({ intact: true, chainId: tenant });
    expect(result.headSequence).toBeGreaterThan(25);
    const tampered = ndjson.replace('\\"action\\":\\"disclose\\"', '\\"action\\":\\"read\\"');
    expect(tampered).not.toBe(ndjson);
    expect((await verifyExport(tampered, manifest, publicKeyOnly())).intact).toBe(false);
    const m = JSON.parse(manifest) as { ndjsonSha256: string };
    // Even with the manifest's digest "fixed", the signature then fails.
    const forged = JSON.stringify({ ...m, ndjsonSha256: 'x' });
    expect((await verifyExport(tampered, forged, publicKeyOnly())).problem).toEqual({
      kind: 'manifest_forged',
    });
  });

  it('is refused without audit:export', async () => {
    await expect(exportAll(clients.frontDesk)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('Verify reports the chain intact', async () => {
    const report = await clients.officer.verify({ checkColumns: true });
    expect(report).toMatchObject({ chainId: tenant, intact: true, problem: undefined });
    expect(report.lastSequence).toBeGreaterThan(25);
  });
});

describe('medspa-audit CLI', () => {
  async function cli(args: string[], token = tokens.officer) {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(c.toString()));
    stderr.on('data', (c: Buffer) => err.push(c.toString()));
    const env = { MEDSPA_AUDIT_ADDR: `127.0.0.1:${service.port}`, MEDSPA_AUDIT_TOKEN: token };
    const code = await runCli(args, { stdout, stderr, env });
    return { code, out: out.join(''), err: err.join('') };
  }

  it('query --all prints every matching entry as NDJSON across pages', async () => {
    const { code, out } = await cli([
      'query',
      '--patient',
      patient,
      '--action',
      'read',
      '--user',
      provider.id,
      '--page-size',
      '5',
      '--all',
    ]);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { subjectId: string; details: { outcome: string } });
    expect(lines).toHaveLength(12);
    expect(lines.every((l) => l.subjectId === patient && l.details.outcome === 'allowed')).toBe(true);
  });

  it('disclosures --format csv prints a well-formed CSV', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const { code, out } = await cli([
      'disclosures',
      '--patient',
      patient,
      '--from',
      from,
      '--to',
      new Date(Date.now() + 60_000).toISOString(),
      '--format',
      'csv',
    ]);
    expect(code).toBe(0);
    const rows = out.split('\r\n').filter((l) => l !== '');
    expect(rows[0]).toBe(
      'date,recipient_id,recipient_role,resource_type,resource_id,action,purpose,break_glass,message_id,source',
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r.split(',')).toHaveLength(10);
  });

  it('export writes NDJSON and a manifest that verify-export checks with the public key file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medspa-audit-cli-'));
    const [ndjson, manifest, publicKey] = ['log.ndjson', 'manifest.json', 'public.pem'].map((f) =>
      path.join(dir, f),
    ) as [string, string, string];
    expect((await cli(['export', '--out', ndjson, '--manifest', manifest])).code).toBe(0);
    writeFileSync(
      publicKey,
      createPublicKey(readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'pem' }),
    );
    const checked = await cli(
      ['verify-export', '--in', ndjson, '--manifest', manifest, '--public-key', publicKey],
      '',
    );
    expect(checked).toMatchObject({ code: 0 });
    expect(JSON.parse(checked.out)).toMatchObject({ intact: true, chainId: tenant });
  });

  it('verify exits 0 on an intact chain; a front desk token exits 1 with the reason', async () => {
    expect(await cli(['verify'])).toMatchObject({ code: 0 });
    const refused = await cli(['verify'], tokens.frontDesk);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('PERMISSION_DENIED');
    expect(await cli(['bogus'])).toMatchObject({ code: 2 });
  });
});

function blank() {
  return {
    subjectId: '',
    actorId: '',
    action: '',
    eventType: '',
    correlationId: '',
    from: undefined,
    to: undefined,
    pageSize: 0,
    pageToken: '',
  };
}
