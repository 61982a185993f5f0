import { describe, expect, it } from 'vitest';
import { AccessAction, AccessEvent, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import { fromEnvelopeHeaders } from '@medspa/contracts';
import { newId, type EventMetadata } from '@medspa/eventstore';
import { ACCESS_EVENT_TYPE, accessOutboxMessage, type PhiAccess } from './access-events.js';

const metadata: EventMetadata = {
  tenantId: newId(),
  actor: { id: 'user-7', role: 'front_desk' },
  correlationId: newId(),
};
const ctx = {
  metadata,
  topic: 'medspa.patient-record.events.v1',
  now: () => new Date('2026-03-01T10:00:00Z'),
};
const read: PhiAccess = {
  subjectId: 'patient-1',
  resourceType: 'encounter',
  resourceId: 'enc-9',
  action: 'read',
  purpose: 'treatment',
  outcome: { allowed: true },
  requestId: 'req-3',
};

describe('access events', () => {
  it('records who, whose, what, why and the outcome, keyed by the subject', () => {
    const m = accessOutboxMessage({ ...read, action: 'export', breakGlass: true, purpose: 'emergency' }, ctx);
    expect(m).toMatchObject({ topic: ctx.topic, key: 'patient-1', type: ACCESS_EVENT_TYPE });
    expect(AccessEvent.decode(m.payload)).toEqual({
      userId: 'user-7',
      userRole: 'front_desk',
      subjectId: 'patient-1',
      resourceType: 'encounter',
      resourceId: 'enc-9',
      action: AccessAction.ACCESS_ACTION_EXPORT,
      purpose: AccessPurpose.ACCESS_PURPOSE_EMERGENCY,
      breakGlass: true,
      outcome: AccessOutcome.ACCESS_OUTCOME_ALLOWED,
      denialReason: '',
      requestId: 'req-3',
    });
    expect(fromEnvelopeHeaders(m.headers)).toMatchObject({
      eventId: m.messageId,
      eventType: ACCESS_EVENT_TYPE,
      actorId: 'user-7',
      occurredAt: new Date('2026-03-01T10:00:00Z'),
    });
  });

  it('records a denial with its reason code', () => {
    const m = accessOutboxMessage(
      { ...read, outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' } },
      ctx,
    );
    expect(AccessEvent.decode(m.payload)).toMatchObject({
      outcome: AccessOutcome.ACCESS_OUTCOME_DENIED,
      denialReason: 'ROLE_NOT_PERMITTED',
    });
  });

  it('refuses free text as a denial reason, which could carry PHI', () => {
    expect(() =>
      accessOutboxMessage(
        { ...read, outcome: { allowed: false, reason: 'Jane Doe is not your patient' } },
        ctx,
      ),
    ).toThrow(expect.objectContaining({ reason: 'ACCESS_DENIAL_REASON_INVALID' }));
  });

  it('refuses an access without subject, resource or request', () => {
    expect(() => accessOutboxMessage({ ...read, subjectId: '' }, ctx)).toThrow(
      expect.objectContaining({ reason: 'ACCESS_EVENT_INCOMPLETE' }),
    );
  });
});
