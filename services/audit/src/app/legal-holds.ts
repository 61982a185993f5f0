import type { Queryable } from '@medspa/db';
import { pgCode } from '@medspa/db';
import { errors } from '@medspa/errors';

/** A hold as placed, with its release when there is one. */
export interface LegalHold {
  holdId: string;
  subjectId: string | null;
  from: Date | null;
  to: Date | null;
  reasonCode: string;
  reference: string | null;
  placedBy: { id: string; role: string };
  placedAt: Date;
  release: { by: { id: string; role: string }; at: Date; reasonCode: string } | null;
}

export interface HoldPlacement {
  holdId: string;
  subjectId: string | null;
  from: Date | null;
  to: Date | null;
  reasonCode: string;
  reference: string | null;
}

type Actor = { id: string; role: string };

const SELECT_HOLDS = `
SELECT p.hold_id, p.subject_id, p.period_from, p.period_to, p.reason_code, p.reference,
       p.actor_id, p.actor_role, p.recorded_at,
       r.actor_id AS released_by, r.actor_role AS released_by_role, r.recorded_at AS released_at,
       r.reason_code AS release_reason_code
FROM audit.legal_holds p
LEFT JOIN audit.legal_holds r ON r.tenant_id = p.tenant_id AND r.hold_id = p.hold_id AND r.event = 'released'
WHERE p.tenant_id = $1 AND p.event = 'placed'`;

interface HoldRow {
  hold_id: string;
  subject_id: string | null;
  period_from: Date | null;
  period_to: Date | null;
  reason_code: string;
  reference: string | null;
  actor_id: string;
  actor_role: string;
  recorded_at: Date;
  released_by: string | null;
  released_by_role: string | null;
  released_at: Date | null;
  release_reason_code: string | null;
}

const toHold = (r: HoldRow): LegalHold => ({
  holdId: r.hold_id,
  subjectId: r.subject_id,
  from: r.period_from,
  to: r.period_to,
  reasonCode: r.reason_code,
  reference: r.reference,
  placedBy: { id: r.actor_id, role: r.actor_role },
  placedAt: r.recorded_at,
  release:
    r.released_at === null
      ? null
      : {
          by: { id: r.released_by ?? '', role: r.released_by_role ?? '' },
          at: r.released_at,
          reasonCode: r.release_reason_code ?? '',
        },
});

/** The clinic's holds, newest first; standing ones only unless `includeReleased`. */
export async function listLegalHolds(
  db: Queryable,
  tenantId: string,
  includeReleased: boolean,
): Promise<LegalHold[]> {
  const res = await db.query<HoldRow>(
    `${SELECT_HOLDS} AND ($2 OR r.hold_id IS NULL) ORDER BY p.recorded_at DESC, p.hold_id DESC`,
    [tenantId, includeReleased],
  );
  return res.rows.map(toHold);
}

/** One hold of the clinic; NOT_FOUND for an unknown id or another clinic's. */
export async function findLegalHold(db: Queryable, tenantId: string, holdId: string): Promise<LegalHold> {
  const res = await db.query<HoldRow>(`${SELECT_HOLDS} AND p.hold_id = $2`, [tenantId, holdId]);
  const row = res.rows[0];
  if (row === undefined) throw errors.notFound('AUDIT_LEGAL_HOLD_NOT_FOUND', 'No such legal hold');
  return toHold(row);
}

export async function insertPlacement(
  db: Queryable,
  tenantId: string,
  placement: HoldPlacement,
  actor: Actor,
): Promise<LegalHold> {
  await db.query(
    `INSERT INTO audit.legal_holds (tenant_id, hold_id, event, subject_id, period_from, period_to, reason_code,
       reference, actor_id, actor_role)
     VALUES ($1, $2, 'placed', $3, $4, $5, $6, $7, $8, $9)`,
    [
      tenantId,
      placement.holdId,
      placement.subjectId,
      placement.from,
      placement.to,
      placement.reasonCode,
      placement.reference,
      actor.id,
      actor.role,
    ],
  );
  return findLegalHold(db, tenantId, placement.holdId);
}

/** Records the release; FAILED_PRECONDITION when the hold was released already. */
export async function insertRelease(
  db: Queryable,
  tenantId: string,
  holdId: string,
  reasonCode: string,
  actor: Actor,
): Promise<LegalHold> {
  try {
    await db.query(
      `INSERT INTO audit.legal_holds (tenant_id, hold_id, event, reason_code, actor_id, actor_role)
       VALUES ($1, $2, 'released', $3, $4, $5)`,
      [tenantId, holdId, reasonCode, actor.id, actor.role],
    );
  } catch (e) {
    if (pgCode(e) === '23505') throw alreadyReleased();
    if (pgCode(e) === '23503') throw errors.notFound('AUDIT_LEGAL_HOLD_NOT_FOUND', 'No such legal hold');
    throw e;
  }
  return findLegalHold(db, tenantId, holdId);
}

export const alreadyReleased = () =>
  errors.precondition('AUDIT_LEGAL_HOLD_ALREADY_RELEASED', 'The legal hold was released already');
