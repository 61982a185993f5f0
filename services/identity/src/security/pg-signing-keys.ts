import { SIGNING_ALGORITHM } from '@medspa/auth';
import type { Kms, KmsContext } from '@medspa/crypto';
import { quoteIdent, withTransaction, type Pool, type Queryable } from '@medspa/db';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import {
  NEXT_KEY_MIN_PUBLISHED_SECONDS,
  publishedKeys,
  RETIRED_KEY_OVERLAP_SECONDS,
  type KeyRing,
  type SigningKeyPair,
  type SigningKeySet,
} from './signing-keys.js';

/*
 * The signing key ring in Postgres, so that tokens survive a restart and every replica signs with
 * the same key. Private keys are stored wrapped by the KMS key-encryption key (local key file in
 * embedded mode, AWS KMS in the cluster) and unwrapped into non-extractable keys in memory only.
 */

export interface PgSigningKeySetOptions {
  pool: Pool;
  schema: string;
  kms: Kms;
  /** The KMS key that wraps the private keys. */
  kekId: string;
  now: () => Date;
  /** How long a replica trusts its cached ring before re-reading it (rotations by another replica). */
  cacheMs?: number;
}

export interface PersistentSigningKeySet extends SigningKeySet {
  /** Reads (and on first start creates) the ring; call once before serving. */
  load(): Promise<void>;
}

type Status = 'next' | 'current' | 'retired' | 'withdrawn';

interface KeyRow {
  kid: string;
  status: Status;
  public_jwk: JWK;
  wrapped_private_key: Buffer;
  kek_ref: string;
  created_at: Date;
  retired_at: Date | null;
}

// Binds a wrapped key to its purpose and id: a wrapped key copied to another row fails to unwrap.
const contextOf = (kid: string): KmsContext => ({ purpose: 'identity.signing-key', kid });
// One lock for creating and rotating the ring, so two replicas starting together make one ring.
const LOCK = 'medspa.identity.signing-keys';

async function generatePair(createdAt: Date) {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true, // exported once, to be wrapped; the in-memory copy is re-imported non-extractable
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const publicJwk: JWK = { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, publicJwk, pkcs8: await exportPKCS8(privateKey), createdAt };
}

/** The signing key set over the `signing_keys` table. */
export function createPgSigningKeySet(options: PgSigningKeySetOptions): PersistentSigningKeySet {
  const table = `${quoteIdent(options.schema)}.signing_keys`;
  const cacheMs = options.cacheMs ?? 30_000;
  const unwrapped = new Map<string, SigningKeyPair>();
  let ring: KeyRing | undefined;
  let loadedAt = 0;

  const insert = async (db: Queryable, status: Status, createdAt: Date): Promise<void> => {
    const pair = await generatePair(createdAt);
    const wrapped = await options.kms.wrap(options.kekId, Buffer.from(pair.pkcs8), contextOf(pair.kid));
    await db.query(
      `INSERT INTO ${table} (kid, status, public_jwk, wrapped_private_key, kek_ref, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [pair.kid, status, JSON.stringify(pair.publicJwk), wrapped.ciphertext, wrapped.keyRef, createdAt],
    );
  };

  const toPair = async (row: KeyRow): Promise<SigningKeyPair> => {
    const cached = unwrapped.get(row.kid);
    if (cached !== undefined) return cached;
    const pkcs8 = await options.kms.unwrap(row.kek_ref, row.wrapped_private_key, contextOf(row.kid));
    const privateKey = await importPKCS8(pkcs8.toString('utf8'), SIGNING_ALGORITHM, { extractable: false });
    pkcs8.fill(0);
    const pair: SigningKeyPair = {
      kid: row.kid,
      privateKey,
      publicJwk: row.public_jwk,
      createdAt: row.created_at,
    };
    unwrapped.set(row.kid, pair);
    return pair;
  };

  const read = async (db: Queryable): Promise<KeyRing | undefined> => {
    const { rows } = await db.query<KeyRow>(
      `SELECT kid, status, public_jwk, wrapped_private_key, kek_ref, created_at, retired_at
       FROM ${table}
       WHERE status IN ('next', 'current') OR (status = 'retired' AND retired_at > $1)
       ORDER BY created_at`,
      // Keys retired longer ago than the overlap are never published again: no need to unwrap them.
      [new Date(options.now().getTime() - RETIRED_KEY_OVERLAP_SECONDS * 1000)],
    );
    const current = rows.find((r) => r.status === 'current');
    const next = rows.find((r) => r.status === 'next');
    if (current === undefined || next === undefined) return undefined;
    const retired = await Promise.all(
      rows
        .filter((r) => r.status === 'retired' && r.retired_at !== null)
        .map(async (r) => ({ ...(await toPair(r)), retiredAt: r.retired_at as Date })),
    );
    return { current: await toPair(current), next: await toPair(next), retired };
  };

  const lock = (db: Queryable) => db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);

  const load = async (): Promise<KeyRing> => {
    let found = await read(options.pool);
    if (found === undefined) {
      found = await withTransaction(options.pool, async (tx) => {
        await lock(tx);
        const again = await read(tx);
        if (again !== undefined) return again;
        const at = options.now();
        await insert(tx, 'current', at);
        await insert(tx, 'next', at);
        return (await read(tx)) as KeyRing;
      });
    }
    ring = found;
    loadedAt = Date.now();
    return found;
  };

  const fresh = async (): Promise<KeyRing> =>
    ring !== undefined && Date.now() - loadedAt < cacheMs ? ring : load();

  return {
    load: async () => void (await load()),
    async signingKey() {
      const { current } = await fresh();
      return { kid: current.kid, privateKey: current.privateKey };
    },
    jwks: async (at) => ({ keys: publishedKeys(await fresh(), at) }),
    async rotate(at, rotateOptions = {}) {
      const emergency = rotateOptions.emergency ?? false;
      await withTransaction(options.pool, async (tx) => {
        await lock(tx);
        const before = await read(tx);
        if (before === undefined) throw new Error('The signing key ring has not been created');
        const publishedFor = (at.getTime() - before.next.createdAt.getTime()) / 1000;
        // Verifiers cache the JWKS: a key they have not seen yet must not sign (see signing-keys.ts).
        if (!emergency && publishedFor < NEXT_KEY_MIN_PUBLISHED_SECONDS) {
          throw new RangeError(`The next key has been published for ${Math.floor(publishedFor)} s only`);
        }
        await tx.query(`UPDATE ${table} SET status = $2, retired_at = $3 WHERE kid = $1`, [
          before.current.kid,
          emergency ? 'withdrawn' : 'retired',
          at,
        ]);
        await tx.query(`UPDATE ${table} SET status = 'current' WHERE kid = $1`, [before.next.kid]);
        await insert(tx, 'next', at);
      });
      await load();
    },
  };
}
