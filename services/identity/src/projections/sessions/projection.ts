import { quoteIdent, type Queryable } from '@medspa/db';
import type { RecordedEvent } from '@medspa/eventstore';
import { defineProjection, type Projection } from '@medspa/projections';
import type { SessionEvent } from '../../domain/session/session.js';

const STATUS_OF_END = {
  SessionLoggedOut: 'logged_out',
  SessionRevoked: 'revoked',
  SessionIdleTimedOut: 'idle_timeout',
  SessionExpired: 'expired',
} as const;

async function apply(db: Queryable, schema: string, event: RecordedEvent<SessionEvent>): Promise<void> {
  const table = `${quoteIdent(schema)}.sessions`;
  const e = { type: event.type, data: event.data } as SessionEvent;
  switch (e.type) {
    case 'SessionStarted':
      await db.query(
        `INSERT INTO ${table} (session_id, tenant_id, user_id, status, started_at, expires_at, last_activity_at)
         VALUES ($1, $2, $3, 'active', $4, $5, $4) ON CONFLICT (session_id) DO NOTHING`,
        [e.data.sessionId, e.data.tenantId, e.data.userId, e.data.at, e.data.expiresAt],
      );
      return;
    case 'RefreshTokenRotated':
    case 'SessionActivityRecorded':
      await db.query(`UPDATE ${table} SET last_activity_at = $2 WHERE session_id = $1`, [
        event.streamId,
        e.data.at,
      ]);
      return;
    case 'SessionLoggedOut':
    case 'SessionRevoked':
    case 'SessionIdleTimedOut':
    case 'SessionExpired':
      await db.query(`UPDATE ${table} SET status = $2, ended_at = $3 WHERE session_id = $1`, [
        event.streamId,
        STATUS_OF_END[e.type],
        e.data.at,
      ]);
      return;
    case 'RefreshTokenReuseDetected':
      return; // the SessionRevoked that follows ends it
    default: {
      const _exhaustive: never = e;
    }
  }
}

/** Sessions by id and by user, for listing and for revoking a user's sessions. */
export function sessionsProjection(schema: string): Projection<SessionEvent> {
  return defineProjection<SessionEvent>({
    name: 'sessions',
    streamTypes: ['session'],
    tables: ['sessions'],
    apply: (db, event) => apply(db, schema, event),
  });
}
