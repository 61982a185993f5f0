import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import { appointment } from './decide.js';
import { appointmentId, book, booked, now } from './fixtures/booked-appointment.js';
import { ids, laserClinic } from './fixtures/booking-context.js';

const spec = deciderSpec(appointment);

describe('booking an appointment', () => {
  it('books it with its holds (buffers included) and the quoted price', () => {
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      type: 'AppointmentBooked',
      data: {
        appointmentId,
        start: '2026-06-01T14:00:00.000Z',
        end: '2026-06-01T15:00:00.000Z',
        price: { amountMinor: 45_000, currency: 'USD' },
        deposit: { amountMinor: 10_000, currency: 'USD' },
        bookedAt: now,
      },
    });
    const holds = booked[0].type === 'AppointmentBooked' ? booked[0].data.holds : [];
    expect(holds.map((h) => [h.resourceKind, h.localDate, h.start, h.end])).toEqual(
      expect.arrayContaining([
        ['provider', '2026-06-01', '2026-06-01T13:50:00.000Z', '2026-06-01T15:10:00.000Z'],
        ['room', '2026-06-01', '2026-06-01T13:50:00.000Z', '2026-06-01T15:10:00.000Z'],
        ['device', '2026-06-01', '2026-06-01T13:50:00.000Z', '2026-06-01T15:10:00.000Z'],
      ]),
    );
    expect(JSON.parse(JSON.stringify(booked))).toEqual(booked);
  });

  it('refuses times the clinic rules out, with a reason for each', () => {
    const when = (start: string, nowAt = now) => spec.given([]).when({ ...book, start, now: nowAt });
    when('2026-05-20T11:00:00Z').thenThrows('START_IN_PAST');
    when('2026-05-20T13:00:00Z').thenThrows('LEAD_TIME_VIOLATION');
    when('2026-06-01T23:30:00Z').thenThrows('OUTSIDE_OPENING_HOURS'); // 19:30
    when('2026-06-01T22:00:00Z').thenThrows('OUTSIDE_WORKING_HOURS'); // 18:00, open till 19:00
    when('2026-06-01T16:30:00Z').thenThrows('OUTSIDE_WORKING_HOURS'); // 12:30, lunch
    when('2026-06-01T13:00:00Z').thenThrows('OUTSIDE_WORKING_HOURS'); // 09:00, but setup starts 08:50
    when('2026-06-10T14:00:00Z').thenThrows('PROVIDER_ON_TIME_OFF');
    when('not a time').thenThrows('INVALID_INSTANT');
  });

  it('refuses the wrong people, rooms and devices', () => {
    const ctx = laserClinic();
    const other = { ...book, context: ctx };
    spec
      .given([])
      .when({ ...other, roomId: null })
      .thenThrows('ROOM_REQUIRED');
    spec
      .given([])
      .when({ ...other, deviceId: newId() })
      .thenThrows('DEVICE_NOT_FOUND');
    if (ctx.provider.status !== 'unknown') {
      spec
        .given([])
        .when({ ...book, context: { ...ctx, provider: { ...ctx.provider, qualifications: [] } } })
        .thenThrows('PROVIDER_NOT_QUALIFIED');
    }
    if (ctx.room && ctx.room.status !== 'unknown') {
      spec
        .given([])
        .when({ ...book, context: { ...ctx, room: { ...ctx.room, roomType: 'treatment_room' } } })
        .thenThrows('ROOM_TYPE_MISMATCH');
    }
    if (ctx.device && ctx.device.status !== 'unknown') {
      spec
        .given([])
        .when({ ...book, context: { ...ctx, device: { ...ctx.device, locationId: ids.otherLocation } } })
        .thenThrows('DEVICE_AT_OTHER_LOCATION');
    }
    if (ctx.treatment.status !== 'unknown') {
      spec
        .given([])
        .when({ ...book, context: { ...ctx, treatment: { ...ctx.treatment, status: 'discontinued' } } })
        .thenThrows('TREATMENT_DISCONTINUED');
    }
    spec.given(booked).when(book).thenThrows('APPOINTMENT_ALREADY_EXISTS');
  });
});
