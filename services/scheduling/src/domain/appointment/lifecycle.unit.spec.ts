import { deciderSpec } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import type { AppointmentEvent } from './appointment.js';
import { calendarChangesFor } from './calendar-effects.js';
import { appointment } from './decide.js';
import { appointmentId, at, book, booked, checkedIn, confirmed, now } from './fixtures/booked-appointment.js';

const spec = deciderSpec(appointment);

describe('the appointment lifecycle', () => {
  it('goes booked → confirmed → checked in → completed', () => {
    spec
      .given(booked)
      .when({ type: 'ConfirmAppointment', ...at(now) })
      .then([confirmed]);
    spec
      .given([...booked, confirmed])
      .when({ type: 'CheckInAppointment', ...at('2026-06-01T13:55:00Z') })
      .then([checkedIn]);
    spec
      .given([...booked, confirmed, checkedIn])
      .when({ type: 'CompleteAppointment', ...at('2026-06-01T15:05:00Z') })
      .then([
        { type: 'AppointmentCompleted', data: { appointmentId, completedAt: '2026-06-01T15:05:00.000Z' } },
      ]);
  });

  it('treats repeats as done', () => {
    spec
      .given([...booked, confirmed])
      .when({ type: 'ConfirmAppointment', ...at(now) })
      .thenNothingHappens();
    spec
      .given([...booked, checkedIn])
      .when({ type: 'CheckInAppointment', ...at(now) })
      .thenNothingHappens();
  });

  it('refuses illegal transitions with FAILED_PRECONDITION reasons', () => {
    const cancelled: AppointmentEvent = {
      type: 'AppointmentCancelled',
      data: { appointmentId, reasonCode: 'patient_request', cancelledAt: now },
    };
    spec
      .given(booked)
      .when({ type: 'CompleteAppointment', ...at(now) })
      .thenThrows('APPOINTMENT_NOT_CHECKED_IN');
    spec
      .given([...booked, cancelled])
      .when({ type: 'ConfirmAppointment', ...at(now) })
      .thenThrows('APPOINTMENT_CANCELLED');
    spec
      .given([...booked, checkedIn])
      .when({ type: 'CancelAppointment', reasonCode: 'other', ...at(now) })
      .thenThrows('APPOINTMENT_CHECKED_IN');
    spec
      .given(booked)
      .when({ type: 'MarkNoShow', ...at('2026-06-01T13:59:00Z') })
      .thenThrows('APPOINTMENT_NOT_STARTED');
    spec
      .given([])
      .when({ type: 'ConfirmAppointment', ...at(now) })
      .thenThrows('APPOINTMENT_NOT_FOUND');
    const noShow: AppointmentEvent = {
      type: 'AppointmentMarkedNoShow',
      data: { appointmentId, markedAt: '2026-06-01T14:20:00.000Z' },
    };
    spec
      .given(booked)
      .when({ type: 'MarkNoShow', ...at('2026-06-01T14:20:00Z') })
      .then([noShow]);
    spec
      .given([...booked, noShow])
      .when({ type: 'CheckInAppointment', ...at(now) })
      .thenThrows('APPOINTMENT_NO_SHOW');
  });

  it('cancels with a reason code, and releases every hold', () => {
    const cancel = { type: 'CancelAppointment' as const, reasonCode: 'clinic_closure' as const, ...at(now) };
    const cancelled = appointment.decide(
      cancel,
      booked.reduce(appointment.evolve, appointment.initialState()),
    );
    expect(cancelled).toEqual([
      {
        type: 'AppointmentCancelled',
        data: { appointmentId, reasonCode: 'clinic_closure', cancelledAt: now },
      },
    ]);
    spec
      .given(booked)
      .when({ ...cancel, reasonCode: 'because' as never })
      .thenThrows('INVALID_REASON_CODE');
    const state = booked.reduce(appointment.evolve, appointment.initialState());
    const changes = calendarChangesFor(state, cancelled);
    expect(changes.map((c) => c.commands.map((k) => k.type))).toEqual([
      ['ReleaseResourceTime'],
      ['ReleaseResourceTime'],
      ['ReleaseResourceTime'],
    ]);
    expect(
      calendarChangesFor(appointment.initialState(), booked).flatMap((c) => c.commands.map((k) => k.type)),
    ).toEqual(['HoldResourceTime', 'HoldResourceTime', 'HoldResourceTime']);
  });

  it('reschedules a confirmed appointment, which must then be confirmed again', () => {
    const move = { ...book, type: 'RescheduleAppointment' as const, start: '2026-06-02T18:00:00Z' };
    const [moved] = appointment.decide(
      move,
      [...booked, confirmed].reduce(appointment.evolve, appointment.initialState()),
    );
    expect(moved).toMatchObject({
      type: 'AppointmentRescheduled',
      data: {
        previousStart: '2026-06-01T14:00:00.000Z',
        start: '2026-06-02T18:00:00.000Z',
        end: '2026-06-02T19:00:00.000Z',
      },
    });
    const after = [...booked, confirmed, moved!].reduce(appointment.evolve, appointment.initialState());
    expect(after.status).toBe('booked');
    const before = [...booked, confirmed].reduce(appointment.evolve, appointment.initialState());
    const changes = calendarChangesFor(before, [moved!]);
    expect(changes).toHaveLength(6); // three resources, each released on Monday and held on Tuesday
    spec
      .given([...booked, confirmed])
      .when({ ...move, start: book.start })
      .thenNothingHappens();
    spec
      .given([...booked, checkedIn])
      .when(move)
      .thenThrows('APPOINTMENT_CHECKED_IN');
    spec
      .given(booked)
      .when({ ...move, start: '2026-06-02T16:30:00Z' })
      .thenThrows('OUTSIDE_WORKING_HOURS');
  });
});
