import { quoteIdent, withTenant, type Pool } from '@medspa/db';

export interface SessionRow {
  sessionId: string;
  userId: string;
  status: 'active' | 'logged_out' | 'revoked' | 'idle_timeout' | 'expired';
  startedAt: Date;
  expiresAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
}

/** One session of the clinic by id (eventually consistent with the log). */
export async function findSession(
  pool: Pool,
  schema: string,
  tenantId: string,
  sessionId: string,
): Promise<SessionRow | undefined> {
  return withTenant(pool, tenantId, async (tx) => {
    const { rows } = await tx.query<{
      session_id: string;
      user_id: string;
      status: SessionRow['status'];
      started_at: Date;
      expires_at: Date;
      last_activity_at: Date;
      ended_at: Date | null;
    }>(
      `SELECT session_id, user_id, status, started_at, expires_at, last_activity_at, ended_at
       FROM ${quoteIdent(schema)}.sessions WHERE session_id = $1`,
      [sessionId],
    );
    const r = rows[0];
    return r === undefined
      ? undefined
      : {
          sessionId: r.session_id,
          userId: r.user_id,
          status: r.status,
          startedAt: r.started_at,
          expiresAt: r.expires_at,
          lastActivityAt: r.last_activity_at,
          endedAt: r.ended_at,
        };
  });
}

/** The ids of a user's sessions still marked active (to revoke them on disable or password change). */
export async function activeSessionIds(
  pool: Pool,
  schema: string,
  tenantId: string,
  userId: string,
): Promise<string[]> {
  return withTenant(pool, tenantId, async (tx) => {
    const { rows } = await tx.query<{ session_id: string }>(
      `SELECT session_id FROM ${quoteIdent(schema)}.sessions WHERE user_id = $1 AND status = 'active'`,
      [userId],
    );
    return rows.map((r) => r.session_id);
  });
}
