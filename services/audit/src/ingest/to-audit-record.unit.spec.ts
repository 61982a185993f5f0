import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessEvent, AccessAction, AccessOutcome, AccessPurpose } from '@medspa/contracts/medspa.common.v1';
import type { IncomingMessage } from '@medspa/messaging';
import { toAuditRecord } from './to-audit-record.js';

const tenantId = randomUUID();
const envelope = () => ({
  eventId: randomUUID(),
  eventType: 'medspa.common.v1.AccessEvent',
  tenantId,
  actorId: randomUUID(),
  actorRole: 'provider',
  correlationId: randomUUID(),
  causationId: '',
  occurredAt: new Date('2025-06-01T14:03:22.123Z'),
  traceparent: '',
});

function message(over: Partial<IncomingMessage> & { payload: Uint8Array }): IncomingMessage {
  const env = envelope();
  return {
    messageId: env.eventId,
    topic: 'medspa.patient-record.events.v1',
    key: randomUUID(),
    type: env.eventType,
    envelope: env,
    headers: {},
    transport: 'postgres',
    attempt: 1,
    ...over,
  };
}

const access = (over: Partial<AccessEvent> = {}): Uint8Array =>
  AccessEvent.encode({
    userId: randomUUID(),
    userRole: 'provider',
    subjectId: 'patient-1',
    resourceType: 'encounter',
    resourceId: 'enc-1',
    action: AccessAction.ACCESS_ACTION_DISCLOSE,
    purpose: AccessPurpose.ACCESS_PURPOSE_TREATMENT,
    breakGlass: true,
    outcome: AccessOutcome.ACCESS_OUTCOME_DENIED,
    denialReason: 'ROLE_NOT_PERMITTED',
    requestId: 'req-1',
    ...over,
  }).finish();

describe('toAuditRecord', () => {
  it('maps an access event to subject, actor, action and its non-PHI details, keeping the bytes', () => {
    const payload = access();
    const m = message({ payload });
    const record = toAuditRecord(m);
    expect(record).toMatchObject({
      messageId: m.messageId,
      tenantId,
      eventType: 'medspa.common.v1.AccessEvent',
      subjectId: 'patient-1',
      action: 'disclose',
      correlationId: m.envelope.correlationId,
      causationId: null,
      occurredAt: new Date('2025-06-01T14:03:22.123Z'),
      source: { topic: 'medspa.patient-record.events.v1', partition: null, offset: null },
      details: {
        resourceType: 'encounter',
        resourceId: 'enc-1',
        purpose: 'treatment',
        outcome: 'denied',
        breakGlass: true,
        denialReason: 'ROLE_NOT_PERMITTED',
        requestId: 'req-1',
      },
    });
    expect(record.payload).toBe(payload);
  });

  it('keeps any other integration event as a state change about its stream', () => {
    const m = message({ payload: Buffer.from([1, 2]), type: 'medspa.scheduling.v1.AppointmentBooked' });
    expect(toAuditRecord(m)).toMatchObject({
      action: 'record',
      subjectId: m.key,
      details: { streamId: m.key },
    });
  });

  it('refuses (for parking) an undecodable payload and an access event with no action', () => {
    expect(() => toAuditRecord(message({ payload: Buffer.from([0xff, 0xff, 0xff]) }))).toThrow(
      expect.objectContaining({ kind: 'validation', reason: 'AUDIT_PAYLOAD_MALFORMED' }),
    );
    expect(() =>
      toAuditRecord(message({ payload: access({ action: AccessAction.ACCESS_ACTION_UNSPECIFIED }) })),
    ).toThrow(expect.objectContaining({ reason: 'AUDIT_ACCESS_EVENT_INCOMPLETE' }));
  });

  it('refuses an envelope whose tenant is not a UUID', () => {
    const m = message({ payload: access() });
    expect(() => toAuditRecord({ ...m, envelope: { ...m.envelope, tenantId: 'clinic-1' } })).toThrow(
      expect.objectContaining({ kind: 'validation', reason: 'AUDIT_RECORD_INVALID' }),
    );
  });
});
