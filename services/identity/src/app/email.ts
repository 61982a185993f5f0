import { createBlindIndex, normaliseEmail } from '@medspa/crypto';
import { quoteIdent, withTenant, type Pool, type Queryable } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { IdentityContext } from './context.js';

// Field names bind ciphertexts and index tokens to their meaning (see libs/crypto).
export const EMAIL_FIELD = 'user.email';
export const TOTP_SECRET_FIELD = 'user.totpSecret';

const EMAIL_MAX_LENGTH = 254;
// Deliberately loose: the address is confirmed by mail, not by a pattern.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address in the one form it is indexed and stored in; EMAIL_INVALID when it is not one. */
export function normalisedEmail(email: string): string {
  const value = normaliseEmail(email);
  if (value.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(value)) {
    throw errors.validation('INVALID_EMAIL', 'The e-mail address is invalid', {
      violations: [{ field: 'email', message: 'must be an e-mail address' }],
    });
  }
  return value;
}

/** The blind index of an address under the clinic's key: equality lookups without plaintext. */
export async function emailLookup(ctx: IdentityContext, tenantId: string, email: string): Promise<string> {
  const index = createBlindIndex(await ctx.keyring.blindIndexKey(tenantId));
  return index.exact(EMAIL_FIELD, normalisedEmail(email));
}

/** The account that claimed this address in the clinic, if any. RLS must be set to `tenantId`. */
export async function findUserByEmailLookup(
  db: Queryable,
  ctx: IdentityContext,
  tenantId: string,
  lookup: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT user_id FROM ${quoteIdent(ctx.schema)}.user_emails WHERE tenant_id = $1 AND email_lookup = $2`,
    [tenantId, lookup],
  );
  return rows[0]?.user_id;
}

/*
 * Claims found, per pool: (clinic, lookup) → user. A claim is only ever inserted, never moved or
 * released (user_id is unique too), so one found stays true; an address not found is not
 * remembered (it may be claimed next). A sign-in still reads the user's current state and checks
 * that it holds this lookup. Bounded; the claim found longest ago goes first.
 */
const CLAIMS_REMEMBERED = 10_000;
const claimsFound = new WeakMap<Pool, Map<string, string>>();
const claimKey = (tenantId: string, lookup: string): string => `${tenantId}/${lookup}`;

/** The user a claim found earlier in this process names, without asking the database. */
export function rememberedClaim(ctx: IdentityContext, tenantId: string, lookup: string): string | undefined {
  return claimsFound.get(ctx.pool)?.get(claimKey(tenantId, lookup));
}

/** `findUserByEmailLookup` in its own tenant-scoped transaction, remembering what it finds. */
export async function findClaim(
  ctx: IdentityContext,
  tenantId: string,
  lookup: string,
): Promise<string | undefined> {
  const userId = await withTenant(ctx.pool, tenantId, (tx) =>
    findUserByEmailLookup(tx, ctx, tenantId, lookup),
  );
  if (userId === undefined) return undefined;
  let found = claimsFound.get(ctx.pool);
  if (found === undefined) claimsFound.set(ctx.pool, (found = new Map<string, string>()));
  found.set(claimKey(tenantId, lookup), userId);
  if (found.size > CLAIMS_REMEMBERED) found.delete(found.keys().next().value as string);
  return userId;
}

/** Claims an address for a new account in the caller's transaction; EMAIL_TAKEN when it is claimed. */
export async function claimEmail(
  db: Queryable,
  ctx: IdentityContext,
  claim: { tenantId: string; lookup: string; userId: string },
): Promise<void> {
  const { rowCount } = await db.query(
    `INSERT INTO ${quoteIdent(ctx.schema)}.user_emails (tenant_id, email_lookup, user_id)
     VALUES ($1, $2, $3) ON CONFLICT (tenant_id, email_lookup) DO NOTHING`,
    [claim.tenantId, claim.lookup, claim.userId],
  );
  if (rowCount === 0) throw errors.conflict('EMAIL_TAKEN', 'An account with this e-mail address exists');
}
