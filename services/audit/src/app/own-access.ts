import { randomUUID } from 'node:crypto';
import type { Principal } from '@medspa/auth';
import { AccessAction, AccessEvent, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import { ACCESS_EVENT_TYPE, eventsTopic } from '@medspa/messaging';
import type { AuditRecord } from '../domain/audit-record.js';

/** The audit service's own topic name, as the source of the entries it writes about itself. */
export const AUDIT_TOPIC = eventsTopic('audit');

export type OwnAction = 'search' | 'export' | 'read';

const ACTIONS: Record<OwnAction, AccessAction> = {
  search: AccessAction.ACCESS_ACTION_SEARCH,
  export: AccessAction.ACCESS_ACTION_EXPORT,
  read: AccessAction.ACCESS_ACTION_READ,
};

export interface OwnAccess {
  principal: Principal;
  /** The RPC, e.g. `QueryEntries`: the resource id of the entry. */
  operation: string;
  action: OwnAction;
  /** The patient the query was about, if it named one. */
  subjectId: string | null;
  requestId: string;
  /** A denial's SCREAMING_SNAKE_CASE reason, or undefined when allowed. */
  deniedFor?: string;
  now: Date;
}

/**
 * The entry for a query, export or verification of the audit log itself: who looked at the log,
 * when, about whom, and whether they were allowed. It is appended before any entry is returned.
 */
export function ownAccessRecord(access: OwnAccess): AuditRecord {
  const { principal } = access;
  const denied = access.deniedFor !== undefined;
  const event: AccessEvent = {
    userId: principal.userId,
    userRole: principal.role,
    subjectId: access.subjectId ?? '',
    resourceType: 'audit_log',
    resourceId: access.operation,
    action: ACTIONS[access.action],
    purpose: AccessPurpose.ACCESS_PURPOSE_COMPLIANCE,
    breakGlass: principal.breakGlass !== undefined,
    outcome: denied ? AccessOutcome.ACCESS_OUTCOME_DENIED : AccessOutcome.ACCESS_OUTCOME_ALLOWED,
    denialReason: access.deniedFor ?? '',
    requestId: access.requestId,
  };
  return {
    messageId: randomUUID(),
    tenantId: principal.tenantId.toLowerCase(),
    eventType: ACCESS_EVENT_TYPE,
    occurredAt: access.now,
    actor: { id: principal.userId, role: principal.role },
    subjectId: access.subjectId,
    action: access.action,
    correlationId: access.requestId,
    causationId: null,
    source: { topic: AUDIT_TOPIC, partition: null, offset: null },
    details: {
      resourceType: 'audit_log',
      resourceId: access.operation,
      purpose: 'compliance',
      outcome: denied ? 'denied' : 'allowed',
      breakGlass: event.breakGlass,
      requestId: access.requestId,
      ...(denied ? { denialReason: access.deniedFor } : {}),
    },
    payload: AccessEvent.encode(event).finish(),
  };
}
