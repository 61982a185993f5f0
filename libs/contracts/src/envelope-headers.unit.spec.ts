import { describe, expect, it } from 'vitest';
import { fromEnvelopeHeaders, toEnvelopeHeaders } from './envelope-headers.js';
import type { EventEnvelope } from './gen/medspa/common/v1/event_envelope.js';

const envelope: EventEnvelope = {
  eventId: '01936f1e-7c4a-7000-8000-000000000001',
  eventType: 'medspa.scheduling.v1.AppointmentBooked',
  tenantId: 'tenant-1',
  actorId: 'user-1',
  actorRole: 'front_desk',
  correlationId: 'req-1',
  causationId: 'cmd-1',
  occurredAt: new Date('2025-03-01T15:30:00.000Z'),
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

describe('event envelope headers', () => {
  it('round-trips through Kafka-style Buffer headers', () => {
    const headers = toEnvelopeHeaders(envelope);
    expect(headers.occurred_at).toBe('2025-03-01T15:30:00.000Z');
    const asKafka = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromEnvelopeHeaders(asKafka)).toEqual(envelope);
  });

  it('lists every missing or malformed header at once', () => {
    const { tenant_id: _t, actor_id: _a, ...rest } = toEnvelopeHeaders(envelope);
    expect(() => fromEnvelopeHeaders({ ...rest, occurred_at: 'yesterday', traceparent: undefined })).toThrow(
      expect.objectContaining({
        reason: 'ENVELOPE_INCOMPLETE',
        violations: [
          { field: 'tenant_id', message: 'missing or malformed' },
          { field: 'actor_id', message: 'missing or malformed' },
          { field: 'occurred_at', message: 'missing or malformed' },
        ],
      }),
    );
  });
});
