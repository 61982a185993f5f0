import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  createClinic,
  enrolAndSignIn,
  rejection,
  startHarness,
  type IdentityHarness,
} from '../testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const kids = async () => (await h.client().getJwks({})).keys.map((k) => k.kid);

const keyRows = async () => {
  const admin = new pg.Client({ connectionString: h.db.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{
      kid: string;
      status: string;
      wrapped_private_key: Buffer;
      kek_ref: string;
    }>('SELECT kid, status, wrapped_private_key, kek_ref FROM identity.signing_keys ORDER BY created_at');
    return rows;
  } finally {
    await admin.end();
  }
};

describe('signing keys', () => {
  it('are stored wrapped by the KMS and publish only Ed25519 public halves', async () => {
    const rows = await keyRows();
    expect(rows.map((r) => r.status).sort()).toEqual(['current', 'next']);
    for (const row of rows) {
      expect(row.kek_ref).toMatch(/^identity-kek:v\d+$/);
      const stored = row.wrapped_private_key.toString('latin1');
      expect(stored).not.toContain('PRIVATE KEY');
      expect(stored).not.toContain('MC4CAQAw'); // the base64 DER prefix of every Ed25519 PKCS#8 key
    }
    const { keys } = await h.client().getJwks({});
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(Object.keys(k)).not.toContain('d');
    }
  });

  it('survive a restart: same keys, and tokens signed before it still verify', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const before = await kids();
    await h.restart();
    expect(await kids()).toEqual(before);
    expect(await h.verifier().verify(tokens.accessToken)).toMatchObject({ userId: clinic.ownerUserId });
  });

  it('rotate with overlap: the old key stays published while its tokens live, then is dropped', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const [next, current] = (await kids()) as [string, string];
    // The next key must have been published long enough for every verifier's cache.
    await expect(h.service.keys.rotate(h.clock.now())).rejects.toThrow(/published for/);
    h.clock.advance(15 * 60);
    await h.service.keys.rotate(h.clock.now());
    const rotated = await kids();
    expect(rotated).toHaveLength(3);
    expect(rotated[1]).toBe(next);
    expect(rotated[2]).toBe(current);
    expect((await h.service.keys.signingKey()).kid).toBe(next);
    // Old tokens are expired by now in real life; within the overlap their key is still served.
    const verifier = h.verifier();
    h.clock.advance(-15 * 60);
    expect(await verifier.verify(tokens.accessToken)).toMatchObject({ userId: clinic.ownerUserId });
    h.clock.advance(15 * 60 + 16 * 60 + 1);
    expect(await kids()).not.toContain(current);
  });

  it('withdraw a leaked key at once on emergency rotation', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const leaked = (await h.service.keys.signingKey()).kid;
    await h.service.keys.rotate(h.clock.now(), { emergency: true });
    expect(await kids()).not.toContain(leaked);
    expect(await rejection(h.verifier().verify(tokens.accessToken))).toMatchObject({
      reason: 'TOKEN_UNKNOWN_KEY',
    });
    expect((await keyRows()).find((r) => r.kid === leaked)?.status).toBe('withdrawn');
  });
});
