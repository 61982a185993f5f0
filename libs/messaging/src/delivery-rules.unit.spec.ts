import { describe, expect, it } from 'vitest';
import { toEnvelopeHeaders } from '@medspa/contracts';
import { errors } from '@medspa/errors';
import { backoffDelay, sleep, StoppedError } from './backoff.js';
import { describeFailure, isTransientFailure } from './failures.js';
import { toIncomingMessage } from './incoming-message.js';
import { deadLetterHeaders, withoutDeadLetterHeaders } from './kafka/dead-letter-headers.js';
import { deadLetterTopic, eventsTopic, producerSchemaOfTopic } from './topics.js';

const envelope = (eventId: string) =>
  toEnvelopeHeaders({
    eventId,
    eventType: 'medspa.x.v1.Y',
    tenantId: 't',
    actorId: 'a',
    actorRole: 'provider',
    correlationId: 'c',
    causationId: 'c',
    occurredAt: new Date(),
    traceparent: '',
  });

describe('failures', () => {
  it('retries everything but business failures', () => {
    expect(isTransientFailure(errors.unavailable('DOWN', 'x'))).toBe(true);
    expect(isTransientFailure(new TypeError('x'))).toBe(true);
    for (const e of [
      errors.validation('V', 'x'),
      errors.precondition('P', 'x'),
      errors.forbidden('F', 'x'),
    ]) {
      expect(isTransientFailure(e)).toBe(false);
    }
  });

  it('describes a failure by class and code, never by message', () => {
    expect(describeFailure(errors.conflict('SLOT_TAKEN', 'Jane Doe'))).toEqual({
      errorClass: 'conflict',
      reason: 'SLOT_TAKEN',
    });
    expect(describeFailure(new RangeError('Jane Doe'))).toEqual({
      errorClass: 'RangeError',
      reason: 'UNEXPECTED_ERROR',
    });
    expect(describeFailure(Object.assign(new Error('dup Jane'), { code: '23505' }))).toEqual({
      errorClass: 'Error',
      reason: 'SQLSTATE_23505',
    });
    expect(describeFailure('Jane Doe')).toEqual({ errorClass: 'string', reason: 'UNEXPECTED_ERROR' });
  });
});

describe('backoff', () => {
  it('doubles up to the cap, jittered in the upper half', () => {
    const b = { initialMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(b, n, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(b, 3, () => 0)).toBe(200);
  });

  it('stops waiting when the signal aborts', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toBeInstanceOf(StoppedError);
  });
});

describe('incoming messages', () => {
  it('are built from the envelope headers', () => {
    const id = '01a20f3b-33f2-77da-8136-d10e0e6ddc0c';
    const m = toIncomingMessage(
      {
        topic: 't',
        key: 'k',
        headers: { ...envelope(id), extra: Buffer.from('x') },
        payload: new Uint8Array([1]),
      },
      'kafka',
    );
    expect(m).toMatchObject({
      messageId: id,
      type: 'medspa.x.v1.Y',
      key: 'k',
      attempt: 1,
      headers: { extra: 'x' },
    });
  });

  it('refuse an incomplete envelope or an event id that is not a UUID', () => {
    const raw = (headers: Record<string, string>) => ({
      topic: 't',
      key: 'k',
      headers,
      payload: new Uint8Array(),
    });
    expect(() => toIncomingMessage(raw({}), 'kafka')).toThrow(
      expect.objectContaining({ reason: 'ENVELOPE_INCOMPLETE' }),
    );
    expect(() => toIncomingMessage(raw(envelope('42')), 'postgres')).toThrow(
      expect.objectContaining({ reason: 'ENVELOPE_EVENT_ID_INVALID' }),
    );
  });
});

describe('topics and dead-letter headers', () => {
  it('names topics and finds the producer schema of one', () => {
    expect(eventsTopic('patient-record')).toBe('medspa.patient-record.events.v1');
    expect(deadLetterTopic('medspa.billing.events.v1')).toBe('medspa.billing.events.v1.dlq');
    expect(producerSchemaOfTopic('test-1a2b.medspa.patient-record.events.v1')).toBe('patient_record');
    expect(() => producerSchemaOfTopic('orders')).toThrow();
  });

  it('adds the parking facts and takes them off again for re-drive', () => {
    const parked = deadLetterHeaders({
      consumer: 'audit',
      topic: 't',
      partition: 2,
      offset: '17',
      attempts: 5,
      failure: { errorClass: 'TypeError', reason: 'UNEXPECTED_ERROR' },
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(parked).toMatchObject({
      dlq_consumer: 'audit',
      dlq_attempts: '5',
      dlq_error_class: 'TypeError',
      dlq_source_offset: '17',
    });
    expect(withoutDeadLetterHeaders({ event_id: 'e', ...parked })).toEqual({ event_id: 'e' });
  });
});
