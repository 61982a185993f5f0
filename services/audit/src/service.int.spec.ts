import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '@medspa/messaging';
import { AUDIT_TOPIC } from './app/own-access.js';
import { ingestConsumerName } from './ingest/ingest.js';
import { metadataFor } from './testing/producers.js';
import { waitUntil } from './testing/wait.js';
import {
  db,
  feed,
  tenant,
  patient,
  otherPatient,
  provider,
  clients,
  officerId,
  seeded,
  count,
  setUpSeededAuditService,
  tearDownSeededAuditService,
} from './testing/seeded-audit-service.js';

beforeAll(setUpSeededAuditService);
afterAll(tearDownSeededAuditService);

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

  it("refuses the clinic owner too: the audit log is the compliance officer's", async () => {
    await expect(clients.owner.queryEntries({ ...blank(), subjectId: patient })).rejects.toMatchObject({
      kind: 'forbidden',
    });
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
    const res = await clients.officer.accountingOfDisclosures({
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
      clients.officer.accountingOfDisclosures({ subjectId: patient, from: undefined, to: new Date() }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});

/** A QueryEntries request with every filter unset. */
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
