import { randomUUID } from 'node:crypto';
import type { Principal } from '@medspa/auth';
import { LegalHoldPlaced, LegalHoldReleased } from '@medspa/contracts/medspa.audit.v1';
import type { AuditRecord } from '../domain/audit-record.js';
import type { HoldPlacement } from './legal-holds.js';
import { AUDIT_TOPIC } from './own-access.js';

export const LEGAL_HOLD_PLACED = 'medspa.audit.v1.LegalHoldPlaced';
export const LEGAL_HOLD_RELEASED = 'medspa.audit.v1.LegalHoldReleased';

function holdRecord(
  principal: Principal,
  requestId: string,
  now: Date,
  fact: { eventType: string; action: string; subjectId: string | null; details: AuditRecord['details'] },
  payload: Uint8Array,
): AuditRecord {
  return {
    messageId: randomUUID(),
    tenantId: principal.tenantId.toLowerCase(),
    eventType: fact.eventType,
    occurredAt: now,
    actor: { id: principal.userId, role: principal.role },
    subjectId: fact.subjectId,
    action: fact.action,
    correlationId: requestId,
    causationId: null,
    source: { topic: AUDIT_TOPIC, partition: null, offset: null },
    details: fact.details,
    payload,
  };
}

/** The log's entry for a hold being placed: a change of state of the log's own retention. */
export function holdPlacedRecord(
  principal: Principal,
  requestId: string,
  now: Date,
  hold: HoldPlacement,
): AuditRecord {
  const payload = LegalHoldPlaced.encode({
    holdId: hold.holdId,
    subjectId: hold.subjectId ?? '',
    from: hold.from ?? undefined,
    to: hold.to ?? undefined,
    reasonCode: hold.reasonCode,
    reference: hold.reference ?? '',
  }).finish();
  return holdRecord(
    principal,
    requestId,
    now,
    {
      eventType: LEGAL_HOLD_PLACED,
      action: 'legal_hold_placed',
      subjectId: hold.subjectId,
      details: {
        holdId: hold.holdId,
        reasonCode: hold.reasonCode,
        reference: hold.reference,
        from: hold.from?.toISOString() ?? null,
        to: hold.to?.toISOString() ?? null,
      },
    },
    payload,
  );
}

export function holdReleasedRecord(
  principal: Principal,
  requestId: string,
  now: Date,
  release: { holdId: string; subjectId: string | null; reasonCode: string },
): AuditRecord {
  const payload = LegalHoldReleased.encode({
    holdId: release.holdId,
    reasonCode: release.reasonCode,
  }).finish();
  return holdRecord(
    principal,
    requestId,
    now,
    {
      eventType: LEGAL_HOLD_RELEASED,
      action: 'legal_hold_released',
      subjectId: release.subjectId,
      details: { holdId: release.holdId, reasonCode: release.reasonCode },
    },
    payload,
  );
}
