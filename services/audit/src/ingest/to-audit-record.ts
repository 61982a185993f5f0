import { ACCESS_EVENT_TYPE, type IncomingMessage } from '@medspa/messaging';
import { AccessAction, AccessEvent, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import { errors } from '@medspa/errors';
import { assertValidRecord, type AuditDetail, type AuditRecord } from '../domain/audit-record.js';

const ACTIONS: Record<AccessAction, string | undefined> = {
  [AccessAction.ACCESS_ACTION_UNSPECIFIED]: undefined,
  [AccessAction.ACCESS_ACTION_READ]: 'read',
  [AccessAction.ACCESS_ACTION_SEARCH]: 'search',
  [AccessAction.ACCESS_ACTION_EXPORT]: 'export',
  [AccessAction.ACCESS_ACTION_PRINT]: 'print',
  [AccessAction.ACCESS_ACTION_DISCLOSE]: 'disclose',
  [AccessAction.UNRECOGNIZED]: undefined,
};

const PURPOSES: Record<AccessPurpose, string | undefined> = {
  [AccessPurpose.ACCESS_PURPOSE_UNSPECIFIED]: undefined,
  [AccessPurpose.ACCESS_PURPOSE_TREATMENT]: 'treatment',
  [AccessPurpose.ACCESS_PURPOSE_PAYMENT]: 'payment',
  [AccessPurpose.ACCESS_PURPOSE_OPERATIONS]: 'operations',
  [AccessPurpose.ACCESS_PURPOSE_PATIENT_REQUEST]: 'patient_request',
  [AccessPurpose.ACCESS_PURPOSE_EMERGENCY]: 'emergency',
  [AccessPurpose.ACCESS_PURPOSE_COMPLIANCE]: 'compliance',
  [AccessPurpose.UNRECOGNIZED]: undefined,
};

const OUTCOMES: Record<AccessOutcome, string | undefined> = {
  [AccessOutcome.ACCESS_OUTCOME_UNSPECIFIED]: undefined,
  [AccessOutcome.ACCESS_OUTCOME_ALLOWED]: 'allowed',
  [AccessOutcome.ACCESS_OUTCOME_DENIED]: 'denied',
  [AccessOutcome.UNRECOGNIZED]: undefined,
};

const malformed = (reason: string, message: string) => errors.validation(reason, message);

function decodeAccess(payload: Uint8Array): AccessEvent {
  try {
    return AccessEvent.decode(payload);
  } catch {
    // The decoder's message could quote bytes of the payload: only a code leaves here.
    throw malformed('AUDIT_PAYLOAD_MALFORMED', 'The access event payload is not a valid AccessEvent');
  }
}

/** The searchable columns and details of an access event; refuses one that names no action or outcome. */
function accessFacts(payload: Uint8Array) {
  const access = decodeAccess(payload);
  const action = ACTIONS[access.action];
  const outcome = OUTCOMES[access.outcome];
  if (action === undefined || outcome === undefined || access.subjectId === '') {
    throw malformed('AUDIT_ACCESS_EVENT_INCOMPLETE', 'The access event lacks a subject, action or outcome');
  }
  const details: Record<string, AuditDetail> = {
    resourceType: access.resourceType,
    resourceId: access.resourceId,
    purpose: PURPOSES[access.purpose] ?? 'unspecified',
    outcome,
    breakGlass: access.breakGlass,
    requestId: access.requestId,
  };
  if (access.denialReason !== '') details.denialReason = access.denialReason;
  return {
    subjectId: access.subjectId,
    action,
    details,
    // The access names who read; the envelope's actor is normally the same request's actor.
    actor: access.userId === '' ? undefined : { id: access.userId, role: access.userRole },
  };
}

/**
 * Maps one delivered message (envelope headers + proto payload) to the entry the log keeps.
 * Access events are decoded for their subject, action, purpose and outcome; any other integration
 * event is kept as a state change (`record`) about its stream (the message key), payload untouched.
 * Throws a validation error (the consumer parks the message) for anything it cannot map.
 */
export function toAuditRecord(message: IncomingMessage): AuditRecord {
  const { envelope } = message;
  const base = {
    messageId: message.messageId,
    tenantId: envelope.tenantId.toLowerCase(),
    eventType: message.type,
    occurredAt: envelope.occurredAt ?? new Date(Number.NaN),
    actor: { id: envelope.actorId, role: envelope.actorRole },
    correlationId: envelope.correlationId,
    causationId: envelope.causationId === '' ? null : envelope.causationId,
    source: { topic: message.topic, partition: null, offset: null },
    payload: message.payload,
  };
  let record: AuditRecord;
  if (message.type === ACCESS_EVENT_TYPE) {
    const facts = accessFacts(message.payload);
    record = { ...base, ...facts, actor: facts.actor ?? base.actor };
  } else {
    record = {
      ...base,
      subjectId: message.key === '' ? null : message.key,
      action: 'record',
      details: { streamId: message.key },
    };
  }
  assertValidRecord(record);
  return record;
}
