import type { Queryable } from '@medspa/db';
import { ACCESS_EVENT_TYPE } from '@medspa/messaging';

/** One row of an accounting of disclosures (45 CFR 164.528(b)(2)): when, to whom, what, why. */
export interface DisclosureRow {
  occurredAt: Date;
  recipientId: string;
  recipientRole: string;
  resourceType: string;
  resourceId: string;
  action: string;
  purpose: string;
  breakGlass: boolean;
  messageId: string;
  sourceTopic: string;
}

/**
 * What counts as a disclosure: information that left the platform's hands (sent to a provider
 * under a BAA, exported, printed) and was allowed. Reads inside the clinic are uses, not
 * disclosures; they stay available through QueryEntries. The purpose is kept on every row so the
 * compliance officer can set aside the disclosures 164.528(a)(1) exempts (treatment, payment,
 * operations) or keep them for an access report.
 */
export const DISCLOSURE_ACTIONS = ['disclose', 'export', 'print'] as const;

const QUERY = `
SELECT occurred_at, actor_id, actor_role, action, message_id, source_topic,
       convert_from(canonical, 'UTF8')::jsonb -> 'details' AS details
FROM audit.entries
WHERE tenant_id = $1 AND subject_id = $2 AND event_type = $3
  AND occurred_at >= $4 AND occurred_at < $5 AND action = ANY($6::text[])
  AND convert_from(canonical, 'UTF8')::jsonb #>> '{details,outcome}' = 'allowed'
ORDER BY occurred_at, seq`;

interface Row {
  occurred_at: Date;
  actor_id: string;
  actor_role: string;
  action: string;
  message_id: string;
  source_topic: string;
  details: Record<string, unknown> | null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The disclosures of one patient's information in [from, to), oldest first. */
export async function accountingOfDisclosures(
  db: Queryable,
  tenantId: string,
  subjectId: string,
  period: { from: Date; to: Date },
): Promise<DisclosureRow[]> {
  const res = await db.query<Row>(QUERY, [
    tenantId,
    subjectId,
    ACCESS_EVENT_TYPE,
    period.from.toISOString(),
    period.to.toISOString(),
    DISCLOSURE_ACTIONS,
  ]);
  return res.rows.map((r) => {
    const d = r.details ?? {};
    return {
      occurredAt: r.occurred_at,
      recipientId: r.actor_id,
      recipientRole: r.actor_role,
      resourceType: text(d.resourceType),
      resourceId: text(d.resourceId),
      action: r.action,
      purpose: text(d.purpose),
      breakGlass: d.breakGlass === true,
      messageId: r.message_id,
      sourceTopic: r.source_topic,
    };
  });
}
