import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli/run-cli.js';
import { verifyExport } from './export/verify-export.js';
import { trustedKeysFromPem } from './signing/checkpoint-signer.js';
import {
  type Client,
  service,
  keyFile,
  tenant,
  patient,
  provider,
  clients,
  tokens,
  setUpSeededAuditService,
  tearDownSeededAuditService,
} from './testing/seeded-audit-service.js';

beforeAll(setUpSeededAuditService);
afterAll(tearDownSeededAuditService);

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
