import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../domain/audit-record.js';

/** A plausible access event for tests: ids only, as the platform's messages carry. */
export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    messageId: randomUUID(),
    tenantId: '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f',
    eventType: 'medspa.common.v1.AccessEvent',
    occurredAt: new Date('2025-06-01T14:03:22.123Z'),
    actor: { id: randomUUID(), role: 'provider' },
    subjectId: randomUUID(),
    action: 'read',
    correlationId: randomUUID(),
    causationId: null,
    source: { topic: 'medspa.patient-record.events.v1', partition: 3, offset: '1048576' },
    details: { outcome: 'allowed', purpose: 'treatment', breakGlass: false, resourceType: 'encounter' },
    payload: Buffer.from(
      '0a2430313930613666322d376231632d376363302d396135322d336636623263316434653566',
      'hex',
    ),
    ...overrides,
  };
}

/** `count` records of one tenant, spread over actors and subjects like a clinic's day. */
export function auditRecords(count: number, tenantId: string): AuditRecord[] {
  const actors = Array.from({ length: 8 }, () => randomUUID());
  const subjects = Array.from({ length: 50 }, () => randomUUID());
  return Array.from({ length: count }, (_, i) =>
    auditRecord({
      tenantId,
      actor: { id: actors[i % actors.length]!, role: i % 3 === 0 ? 'front_desk' : 'provider' },
      subjectId: subjects[i % subjects.length]!,
      occurredAt: new Date(Date.UTC(2025, 5, 1, 9) + i * 1000),
      source: { topic: 'medspa.patient-record.events.v1', partition: i % 6, offset: String(1000 + i) },
    }),
  );
}
