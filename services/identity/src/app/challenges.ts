import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { quoteIdent, withTenant } from '@medspa/db';
import { errors } from '@medspa/errors';
import { newId } from '@medspa/eventstore';
import type { IdentityContext } from './context.js';

/*
 * The MFA challenge between the password step and the code step: `msmc1.<challengeId>.<secret>`,
 * 256 random bits, valid a few minutes, a few code attempts, deleted when used. Only the SHA-256
 * of the whole challenge is stored. It proves the password was right, nothing more.
 */
const PREFIX = 'msmc1';
export const CHALLENGE_TTL_SECONDS = 5 * 60;
/** Wrong codes per challenge; each one also counts towards the account's lockout. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

const hash = (token: string): string => createHash('sha256').update(token).digest('base64url');
const invalid = () => errors.unauthenticated('MFA_CHALLENGE_INVALID', 'Sign in again');
const table = (ctx: IdentityContext) => `${quoteIdent(ctx.schema)}.mfa_challenges`;

/** A new challenge for a user whose password was right. */
export async function createChallenge(
  ctx: IdentityContext,
  input: { tenantId: string; userId: string },
): Promise<{ token: string; expiresAt: Date }> {
  const challengeId = newId();
  const token = `${PREFIX}.${challengeId}.${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(ctx.now().getTime() + CHALLENGE_TTL_SECONDS * 1000);
  // One statement, one round trip: it runs as its own transaction, in which the subquery sets the
  // tenant (row-level security checks the new row against it, after the subquery ran) and lets the
  // commit skip the WAL flush (a challenge lost in a crash only means signing in again). Both
  // settings end with the statement; the pooled connection keeps neither.
  await ctx.pool.query({
    name: `identity.createChallenge.${ctx.schema}`,
    text: `INSERT INTO ${table(ctx)} (challenge_id, tenant_id, user_id, secret_hash, expires_at)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4, $5::timestamptz
         FROM (SELECT set_config('app.tenant_id', $2::uuid::text, true),
                      set_config('synchronous_commit', 'off', true)) AS scoped`,
    values: [challengeId, input.tenantId, input.userId, hash(token), expiresAt],
  });
  return { token, expiresAt };
}

/** The user a live challenge stands for; MFA_CHALLENGE_INVALID for anything else. */
export async function openChallenge(
  ctx: IdentityContext,
  input: { tenantId: string; token: string },
): Promise<{ challengeId: string; userId: string }> {
  const match = /^msmc1\.([0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/.exec(input.token);
  if (match === null) throw invalid();
  const challengeId = match[1] as string;
  const row = await withTenant(ctx.pool, input.tenantId, async (tx) => {
    const { rows } = await tx.query<{
      user_id: string;
      secret_hash: string;
      expires_at: Date;
      attempts: number;
    }>(`SELECT user_id, secret_hash, expires_at, attempts FROM ${table(ctx)} WHERE challenge_id = $1`, [
      challengeId,
    ]);
    return rows[0];
  });
  if (row === undefined) throw invalid();
  const presented = Buffer.from(hash(input.token));
  const stored = Buffer.from(row.secret_hash);
  const same = presented.length === stored.length && timingSafeEqual(presented, stored);
  if (!same || row.expires_at.getTime() <= ctx.now().getTime() || row.attempts >= CHALLENGE_MAX_ATTEMPTS) {
    throw invalid();
  }
  return { challengeId, userId: row.user_id };
}

/** Counts a wrong code against the challenge. */
export async function failChallenge(
  ctx: IdentityContext,
  tenantId: string,
  challengeId: string,
): Promise<void> {
  await withTenant(ctx.pool, tenantId, (tx) =>
    tx.query(`UPDATE ${table(ctx)} SET attempts = attempts + 1 WHERE challenge_id = $1`, [challengeId]),
  );
}

/** Uses the challenge up; false when a concurrent request used it first. */
export async function consumeChallenge(
  ctx: IdentityContext,
  tenantId: string,
  challengeId: string,
): Promise<boolean> {
  const { rowCount } = await withTenant(ctx.pool, tenantId, (tx) =>
    tx.query(`DELETE FROM ${table(ctx)} WHERE challenge_id = $1`, [challengeId]),
  );
  return rowCount === 1;
}
