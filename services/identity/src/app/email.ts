import { createBlindIndex, normaliseEmail } from '@medspa/crypto';
import { quoteIdent, type Queryable } from '@medspa/db';
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
