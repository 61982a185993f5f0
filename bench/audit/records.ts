import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '@medspa/audit';

// Access events as the platform's services send them (ids only), spread over a clinic's staff
// and patients; ~680 canonical bytes each, like real entries.
const PAYLOAD = Buffer.from(
  '0a2430313930613666322d376231632d376363302d396135322d336636623263316434653566',
  'hex',
);

export function accessRecords(count: number, tenantId: string, startIndex = 0): AuditRecord[] {
  const actors = Array.from({ length: 8 }, () => randomUUID());
  const subjects = Array.from({ length: 50 }, () => randomUUID());
  return Array.from({ length: count }, (_, n): AuditRecord => {
    const i = startIndex + n;
    return {
      messageId: randomUUID(),
      tenantId,
      eventType: 'medspa.common.v1.AccessEvent',
      occurredAt: new Date(Date.UTC(2025, 5, 1, 9) + i * 1000),
      actor: { id: actors[i % actors.length]!, role: i % 3 === 0 ? 'front_desk' : 'provider' },
      subjectId: subjects[i % subjects.length]!,
      action: 'read',
      correlationId: randomUUID(),
      causationId: null,
      source: { topic: 'medspa.patient-record.events.v1', partition: null, offset: null },
      details: {
        outcome: 'allowed',
        purpose: 'treatment',
        breakGlass: false,
        resourceType: 'encounter',
        resourceId: randomUUID(),
        requestId: randomUUID(),
      },
      payload: PAYLOAD,
    };
  });
}
