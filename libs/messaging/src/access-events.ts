import { AccessAction, AccessEvent, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import { errors } from '@medspa/errors';
import { newId, writeOutbox, type EventMetadata, type OutboxMessage } from '@medspa/eventstore';
import type { Queryable } from '@medspa/db';
import { envelopeHeaders } from './envelope.js';

export const ACCESS_EVENT_TYPE = 'medspa.common.v1.AccessEvent';

export type AccessActionName = 'read' | 'search' | 'export' | 'print' | 'disclose';
export type AccessPurposeName =
  'treatment' | 'payment' | 'operations' | 'patient_request' | 'emergency' | 'compliance';

/** One read of PHI, allowed or denied. Who read comes from the request's metadata (its actor). */
export interface PhiAccess {
  /** Whose information: usually the patient's id. Also the message key. */
  subjectId: string;
  resourceType: string;
  resourceId: string;
  action: AccessActionName;
  purpose: AccessPurposeName;
  breakGlass?: boolean;
  /** `denied` needs a SCREAMING_SNAKE_CASE reason code; free text could carry PHI. */
  outcome: { allowed: true } | { allowed: false; reason: string };
  requestId: string;
}

export interface AccessContext {
  /** The request's metadata: tenant, actor (who read), correlation, trace. */
  metadata: EventMetadata;
  /** The service's events topic (`eventsTopic(service)`): the audit service reads one topic per service. */
  topic: string;
  now?: () => Date;
}

const ACTIONS: Record<AccessActionName, AccessAction> = {
  read: AccessAction.ACCESS_ACTION_READ,
  search: AccessAction.ACCESS_ACTION_SEARCH,
  export: AccessAction.ACCESS_ACTION_EXPORT,
  print: AccessAction.ACCESS_ACTION_PRINT,
  disclose: AccessAction.ACCESS_ACTION_DISCLOSE,
};

const PURPOSES: Record<AccessPurposeName, AccessPurpose> = {
  treatment: AccessPurpose.ACCESS_PURPOSE_TREATMENT,
  payment: AccessPurpose.ACCESS_PURPOSE_PAYMENT,
  operations: AccessPurpose.ACCESS_PURPOSE_OPERATIONS,
  patient_request: AccessPurpose.ACCESS_PURPOSE_PATIENT_REQUEST,
  emergency: AccessPurpose.ACCESS_PURPOSE_EMERGENCY,
  compliance: AccessPurpose.ACCESS_PURPOSE_COMPLIANCE,
};

const REASON_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The proto message of an access; refuses a denial without a reason code. */
export function toAccessEvent(access: PhiAccess, actor: EventMetadata['actor']): AccessEvent {
  const denialReason = access.outcome.allowed ? '' : access.outcome.reason;
  if (!access.outcome.allowed && !REASON_CODE.test(denialReason)) {
    throw errors.validation(
      'ACCESS_DENIAL_REASON_INVALID',
      'A denial reason must be a SCREAMING_SNAKE_CASE code',
    );
  }
  if (access.subjectId === '' || access.resourceId === '' || access.requestId === '') {
    throw errors.validation(
      'ACCESS_EVENT_INCOMPLETE',
      'An access event needs subject, resource and request ids',
    );
  }
  return {
    userId: actor.id,
    userRole: actor.role,
    subjectId: access.subjectId,
    resourceType: access.resourceType,
    resourceId: access.resourceId,
    action: ACTIONS[access.action],
    purpose: PURPOSES[access.purpose],
    breakGlass: access.breakGlass ?? false,
    outcome: access.outcome.allowed
      ? AccessOutcome.ACCESS_OUTCOME_ALLOWED
      : AccessOutcome.ACCESS_OUTCOME_DENIED,
    denialReason,
    requestId: access.requestId,
  };
}

/** The outbox message of an access: on the service's topic, keyed by the subject, with the envelope. */
export function accessOutboxMessage(access: PhiAccess, ctx: AccessContext): OutboxMessage {
  const messageId = newId();
  return {
    messageId,
    topic: ctx.topic,
    key: access.subjectId,
    type: ACCESS_EVENT_TYPE,
    payload: AccessEvent.encode(toAccessEvent(access, ctx.metadata.actor)).finish(),
    headers: envelopeHeaders(ctx.metadata, {
      eventId: messageId,
      eventType: ACCESS_EVENT_TYPE,
      occurredAt: (ctx.now ?? (() => new Date()))(),
    }),
  };
}

/**
 * Records reads of PHI (allowed or denied) in the service's outbox. Call it inside the request,
 * before the data is returned, with the request's transaction when there is one: if the record
 * cannot be written, the data must not leave. Several records (a search result) go in one statement.
 */
export async function recordAccess(
  db: Queryable,
  schema: string,
  access: PhiAccess | readonly PhiAccess[],
  ctx: AccessContext,
): Promise<void> {
  const list: readonly PhiAccess[] = Array.isArray(access) ? access : [access as PhiAccess];
  await writeOutbox(
    db,
    schema,
    list.map((a) => accessOutboxMessage(a, ctx)),
  );
}
