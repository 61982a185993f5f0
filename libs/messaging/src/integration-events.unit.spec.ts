import { describe, expect, it } from 'vitest';
import { ChartNoteAdded, ChartOpened } from '@medspa/contracts/medspa.messaging.testing.v1';
import { ENVELOPE_HEADER_KEYS, fromEnvelopeHeaders } from '@medspa/contracts';
import { newId, type AppendedEvent, type EventMetadata } from '@medspa/eventstore';
import { findCanariesInText, makeCanaries } from '@medspa/testing';
import { chartIntegrationEvent, CHART_TYPES } from './fixtures/chart.js';
import { createOutboxMapper } from './integration-events.js';

const metadata: EventMetadata = {
  tenantId: newId(),
  actor: { id: newId(), role: 'provider' },
  correlationId: newId(),
  causationId: newId(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};
const toOutbox = createOutboxMapper({ service: 'charts', map: chartIntegrationEvent });
const appended = (event: AppendedEvent['event'], meta = metadata): AppendedEvent => ({
  event,
  eventId: newId(),
  streamId: 'chart-1',
  streamType: 'chart',
  metadata: meta,
  occurredAt: new Date('2026-03-01T09:30:00.000Z'),
});

describe('createOutboxMapper', () => {
  it('maps a domain event to its integration event on the service topic, keyed by stream', () => {
    const a = appended({
      type: 'ChartNoteAdded',
      data: { chartId: 'chart-1', noteId: 'n-1', sequence: 4, text: 'x' },
    });
    const m = toOutbox(a);
    expect(m).toMatchObject({
      messageId: a.eventId,
      topic: 'medspa.charts.events.v1',
      key: 'chart-1',
      type: CHART_TYPES.noteAdded,
    });
    expect(ChartNoteAdded.decode(m.payload)).toEqual({ chartId: 'chart-1', noteId: 'n-1', sequence: 4 });
  });

  it('carries the envelope in headers named by ENVELOPE_HEADER_KEYS', () => {
    const a = appended({ type: 'ChartClosed', data: { chartId: 'chart-1' } });
    const { headers } = toOutbox(a);
    expect(Object.keys(headers).sort()).toEqual([...ENVELOPE_HEADER_KEYS].sort());
    expect(fromEnvelopeHeaders(headers)).toEqual({
      eventId: a.eventId,
      eventType: CHART_TYPES.closed,
      tenantId: metadata.tenantId,
      actorId: metadata.actor.id,
      actorRole: 'provider',
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      occurredAt: a.occurredAt,
      traceparent: metadata.traceparent,
    });
  });

  it('takes the correlation id as cause when none is given, and leaves out an absent traceparent', () => {
    const { causationId: _c, traceparent: _t, ...bare } = metadata;
    const { headers } = toOutbox(appended({ type: 'ChartClosed', data: { chartId: 'chart-1' } }, bare));
    expect(headers.causation_id).toBe(metadata.correlationId);
    expect(headers).not.toHaveProperty('traceparent');
  });

  it('leaves the PHI of the domain event behind', () => {
    const canary = makeCanaries();
    const m = toOutbox(
      appended({
        type: 'ChartOpened',
        data: {
          chartId: 'chart-1',
          patientId: 'p-1',
          givenName: canary.givenName,
          familyName: canary.familyName,
          dateOfBirth: canary.dateOfBirth,
        },
      }),
    );
    expect(ChartOpened.decode(m.payload)).toEqual({ chartId: 'chart-1', patientId: 'p-1' });
    const text = `${m.key}${JSON.stringify(m.headers)}${Buffer.from(m.payload).toString('latin1')}`;
    expect(findCanariesInText(text, canary)).toEqual([]);
  });

  it('prefixes the topic for tests', () => {
    const prefixed = createOutboxMapper({
      service: 'charts',
      topicPrefix: 'test-abc.',
      map: chartIntegrationEvent,
    });
    expect(prefixed(appended({ type: 'ChartClosed', data: { chartId: 'c' } })).topic).toBe(
      'test-abc.medspa.charts.events.v1',
    );
  });
});
