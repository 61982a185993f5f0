import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '@medspa/db';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { findByTokens } from './queries.js';

// The search joins each token's id-ordered index entries: pages must follow id order, every token
// must match, and another tenant's rows never show up.
describe('the patient directory search on blind-index tokens', () => {
  let db: ServiceDatabase;
  let admin: Pool;
  let app: Pool;
  const tenantId = randomUUID();
  const patients = Array.from({ length: 5 }, () => randomUUID()).sort();
  const search = (tokens: string[], after?: string, limit = 2) =>
    findByTokens(app, db.schema, {
      tenantId,
      tokens: tokens.map((token) => ({ kind: 'name_prefix' as const, token })),
      after,
      limit,
    }).then((rows) => rows.map((r) => r.patientId));

  beforeAll(async () => {
    db = await createServiceDatabase('patient-record', migrations);
    admin = createPool(db.adminUrl, { max: 2 });
    app = createPool(db.appUrl, { max: 2 });
    const s = db.schema;
    const otherTenant = randomUUID();
    for (const [i, patientId] of patients.entries()) {
      for (const t of [tenantId, otherTenant]) {
        await admin.query(
          `INSERT INTO ${s}.patient_directory (tenant_id, patient_id, active, registered_at, name_ct, date_of_birth_ct)
           VALUES ($1, $2, true, now(), 'phi:n', 'phi:d')`,
          [t, t === tenantId ? patientId : randomUUID()],
        );
      }
      const tokens = ['fam', ...(i % 2 === 0 ? ['giv'] : []), ...(i === 4 ? ['pre'] : [])];
      for (const token of tokens) {
        await admin.query(
          `INSERT INTO ${s}.patient_search_tokens (tenant_id, patient_id, kind, token) VALUES ($1, $2, 'name_prefix', $3)`,
          [tenantId, patientId, token],
        );
      }
    }
  });

  afterAll(async () => {
    await app?.end();
    await admin?.end();
    await db?.drop();
  });

  it('pages through one token in patient id order', async () => {
    expect(await search(['fam'])).toEqual(patients.slice(0, 2));
    expect(await search(['fam'], patients[1])).toEqual(patients.slice(2, 4));
    expect(await search(['fam'], patients[3])).toEqual(patients.slice(4));
  });

  it('returns only patients carrying every token, paged the same way', async () => {
    const both = [patients[0]!, patients[2]!, patients[4]!];
    expect(await search(['fam', 'giv'])).toEqual(both.slice(0, 2));
    expect(await search(['giv', 'fam'], both[1])).toEqual(both.slice(2));
    expect(await search(['fam', 'giv', 'pre'], undefined, 20)).toEqual([patients[4]]);
    expect(await search(['fam', 'nobody'], undefined, 20)).toEqual([]);
  });
});
