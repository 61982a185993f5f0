import { randomUUID } from 'node:crypto';
import { AuditServiceService } from '@medspa/contracts/medspa.audit.v1';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGAL_HOLD_PLACED, LEGAL_HOLD_RELEASED } from './app/legal-hold-entries.js';
import {
  clients,
  count,
  db,
  officerId,
  patient,
  setUpSeededAuditService,
  tearDownSeededAuditService,
  tenant,
} from './testing/seeded-audit-service.js';

beforeAll(setUpSeededAuditService);
afterAll(tearDownSeededAuditService);

const place = (over: Partial<Parameters<typeof clients.officer.placeLegalHold>[0]> = {}) =>
  clients.officer.placeLegalHold({
    subjectId: patient,
    from: new Date('2024-01-01T00:00:00Z'),
    to: new Date('2025-01-01T00:00:00Z'),
    reasonCode: 'LITIGATION',
    reference: 'CASE-2025/0042',
    ...over,
  });

const entriesOf = (eventType: string) =>
  count('SELECT count(*) n FROM audit.entries WHERE tenant_id = $1 AND event_type = $2', [tenant, eventType]);

async function asRole(url: string, sql: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  } finally {
    await client.end();
  }
}

describe('legal holds', () => {
  it('places a hold, lists it, and logs the placement as an entry of the chain', async () => {
    const { hold } = await place();
    expect(hold).toMatchObject({
      subjectId: patient,
      reasonCode: 'LITIGATION',
      reference: 'CASE-2025/0042',
      placedBy: officerId,
      placedByRole: 'compliance_officer',
      released: false,
    });
    const listed = await clients.officer.listLegalHolds({ includeReleased: false });
    expect(listed.holds.map((h) => h.holdId)).toContain(hold!.holdId);
    expect(await entriesOf(LEGAL_HOLD_PLACED)).toBe(1);
    const logged = await db.appPool.query(
      `SELECT actor_id, subject_id, action, convert_from(canonical, 'UTF8')::jsonb -> 'details' AS details
       FROM audit.entries WHERE event_type = $1`,
      [LEGAL_HOLD_PLACED],
    );
    expect(logged.rows[0]).toMatchObject({
      actor_id: officerId,
      subject_id: patient,
      action: 'legal_hold_placed',
      details: { holdId: hold!.holdId, reasonCode: 'LITIGATION' },
    });
  });

  it('releases a hold by adding a row (the placement stays), once only', async () => {
    const { hold } = await place({ subjectId: '', from: undefined, to: undefined });
    const { hold: released } = await clients.officer.releaseLegalHold({
      holdId: hold!.holdId,
      reasonCode: 'MATTER_CLOSED',
    });
    expect(released).toMatchObject({
      released: true,
      releasedBy: officerId,
      releaseReasonCode: 'MATTER_CLOSED',
    });
    const rows = await db.appPool.query(
      'SELECT event FROM audit.legal_holds WHERE hold_id = $1 ORDER BY event',
      [hold!.holdId],
    );
    expect(rows.rows.map((r: { event: string }) => r.event)).toEqual(['placed', 'released']);
    await expect(
      clients.officer.releaseLegalHold({ holdId: hold!.holdId, reasonCode: 'MATTER_CLOSED' }),
    ).rejects.toMatchObject({ kind: 'precondition', reason: 'AUDIT_LEGAL_HOLD_ALREADY_RELEASED' });
    expect(await entriesOf(LEGAL_HOLD_RELEASED)).toBe(1);
    const standing = await clients.officer.listLegalHolds({ includeReleased: false });
    expect(standing.holds.map((h) => h.holdId)).not.toContain(hold!.holdId);
    const all = await clients.officer.listLegalHolds({ includeReleased: true });
    expect(all.holds.find((h) => h.holdId === hold!.holdId)?.released).toBe(true);
  });

  it("refuses bad input writing nothing, other roles, and another clinic's hold", async () => {
    const before = await count('SELECT count(*) n FROM audit.legal_holds');
    await expect(place({ reasonCode: 'free text about the patient' })).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(place({ reference: 'has spaces' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      place({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2024-01-01T00:00:00Z') }),
    ).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      clients.officer.releaseLegalHold({ holdId: 'not-a-uuid', reasonCode: 'MATTER_CLOSED' }),
    ).rejects.toMatchObject({ kind: 'validation' });
    const deniedSql = `SELECT count(*) n FROM audit.entries WHERE tenant_id = $1 AND action = 'read'
      AND convert_from(canonical, 'UTF8')::jsonb -> 'details' ->> 'outcome' = 'denied'
      AND convert_from(canonical, 'UTF8')::jsonb -> 'details' ->> 'resourceId' = 'PlaceLegalHold'`;
    const denied = await count(deniedSql, [tenant]);
    await expect(
      clients.frontDesk.placeLegalHold({
        subjectId: '',
        from: undefined,
        to: undefined,
        reasonCode: 'LITIGATION',
        reference: '',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    // The denied attempt is in the log before the error reaches the caller.
    expect(await count(deniedSql, [tenant])).toBe(denied + 1);
    const { hold } = await place();
    await expect(
      clients.stranger.releaseLegalHold({ holdId: hold!.holdId, reasonCode: 'MATTER_CLOSED' }),
    ).rejects.toMatchObject({ kind: 'not_found', reason: 'AUDIT_LEGAL_HOLD_NOT_FOUND' });
    await expect(
      clients.officer.releaseLegalHold({ holdId: randomUUID(), reasonCode: 'MATTER_CLOSED' }),
    ).rejects.toMatchObject({ kind: 'not_found', reason: 'AUDIT_LEGAL_HOLD_NOT_FOUND' });
    const strangers = await clients.stranger.listLegalHolds({ includeReleased: true });
    expect(strangers.holds).toEqual([]);
    // The one valid placement, nothing else.
    expect(await count('SELECT count(*) n FROM audit.legal_holds')).toBe(before + 1);
  });

  it('offers no way to delete or edit: no such RPC, and the table refuses it to every role', async () => {
    const methods = Object.keys(AuditServiceService);
    expect(methods.filter((m) => /delete|remove|purge|erase|update|edit|truncate|drop/i.test(m))).toEqual([]);
    expect(methods.sort()).toEqual(
      [
        'queryEntries',
        'accountingOfDisclosures',
        'exportEntries',
        'verify',
        'placeLegalHold',
        'releaseLegalHold',
        'listLegalHolds',
      ].sort(),
    );
    for (const url of [db.appUrl, db.ownerUrl, db.adminUrl]) {
      for (const sql of [
        "UPDATE audit.legal_holds SET reason_code = 'X_X'",
        'DELETE FROM audit.legal_holds',
        'TRUNCATE audit.legal_holds',
      ]) {
        // 42501: refused by grant (app role) or by the append-only trigger (owner, superuser).
        expect(await asRole(url, sql), `${sql} as ${new URL(url).username}`).toBe('42501');
      }
    }
    expect(
      await count('SELECT count(*) n FROM audit.legal_holds WHERE event = $1', ['placed']),
    ).toBeGreaterThan(0);
  });
});
